import { ShotcallerError } from '@shotcaller/contracts';
import { importFromKitsu, type KitsuClient, type KitsuMapping } from '@shotcaller/kitsu';
import type { ShotPartitions } from '@shotcaller/shots';
import { z } from 'zod';
import { actorName } from '../auth';
import { type RouteSpec, route } from '../route-spec';

class KitsuUnconfigured extends ShotcallerError {
  readonly code = 'kitsu_unconfigured';
  constructor() {
    super(
      'Kitsu is not configured: set kitsu.url, kitsu.email, kitsu.password and kitsu.mapping (docs/kitsu.md)',
    );
  }
}

const ImportBody = z.strictObject({
  project: z.string().min(1, 'name the Kitsu project'),
  sequence: z.string().min(1).optional(),
  taskType: z.string().min(1).default('Compositing'),
  status: z.string().min(1).optional(),
  dryRun: z.boolean().default(false),
});

const Outcome = z.object({
  kitsuShotId: z.string(),
  shot: z.string(),
  outcome: z.enum([
    'created',
    'unchanged',
    'updated',
    'would-submit',
    'invalid',
    'changed-since-import',
    'skipped',
    'code-taken',
  ]),
  changed: z.array(z.string()).optional(),
  shotId: z.string().optional(),
  request: z.unknown().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** Imports shots from the studio's Kitsu (admins): the same as `shotcaller kitsu import`. */
export function kitsuRoutes(deps: {
  commands: Pick<ShotPartitions, 'submit' | 'revise'>;
  source: string;
  kitsu?: { client: KitsuClient; mapping: KitsuMapping };
}): RouteSpec[] {
  return [
    route({
      method: 'POST',
      url: '/v1/kitsu/import',
      summary:
        'Import a Kitsu project’s shots (idempotent on the Kitsu shot id; a shot whose code is live in Shotcaller is reported code-taken; dryRun shows what would go in)',
      tag: 'kitsu',
      permission: 'admin:import',
      limit: 'expensive',
      body: ImportBody,
      responses: {
        200: { description: 'One outcome per Kitsu shot', schema: z.object({ results: z.array(Outcome) }) },
      },
      handler: async ({ principal, body }) => {
        if (!deps.kitsu) throw new KitsuUnconfigured();
        const actor = { name: `kitsu import by ${actorName(principal)}`, source: deps.source };
        const results = await importFromKitsu(
          deps.kitsu.client,
          deps.kitsu.mapping,
          {
            project: body.project,
            taskType: body.taskType,
            dryRun: body.dryRun,
            ...(body.sequence ? { sequence: body.sequence } : {}),
            ...(body.status ? { status: body.status } : {}),
          },
          {
            submit: async (request) => {
              const { shot, created } = await deps.commands.submit(request, actor);
              return { shotId: shot.id, created };
            },
            revise: async (shotId, request) => deps.commands.revise(shotId, request, actor),
          },
        );
        return { results };
      },
    }),
  ];
}
