import { readFileSync } from 'node:fs';
import { errorMessage, ShotcallerError } from '@shotcaller/contracts';
import { z } from 'zod';
import type { GenaiAdapter } from './adapter';
import { ComfyUiAdapter } from './comfyui-adapter';
import { HttpTaskAdapter, HttpTaskConfig } from './http-task-adapter';
import { LocalAdapter } from './local-adapter';

/** A provider as configured: its name, which adapter speaks to it, and that adapter's settings. */
export const ProviderConfig = z.discriminatedUnion('kind', [
  z.object({ name: z.string(), kind: z.literal('local') }).loose(),
  z
    .object({
      name: z.string(),
      kind: z.literal('comfyui'),
      baseUrl: z.url(),
      workflowFile: z.string().min(1),
      model: z.string().optional(),
      /** Sent with every request, e.g. `{ authorization: Bearer … }` for a ComfyUI behind a proxy. */
      headers: z.record(z.string(), z.string()).optional(),
    })
    .loose(),
  z.object({ name: z.string(), kind: z.literal('http-task'), httpTask: HttpTaskConfig }).loose(),
]);
export type ProviderConfig = z.infer<typeof ProviderConfig>;

export class ProviderMisconfigured extends ShotcallerError {
  readonly code = 'provider_misconfigured';
  constructor(
    readonly provider: string,
    reason: string,
  ) {
    super(`GenAI provider ${provider} is misconfigured: ${reason}`);
  }
}

/** A provider's configuration, validated; a bad one throws ProviderMisconfigured naming the fields. */
export function parseProviderConfig(input: unknown): ProviderConfig {
  const parsed = ProviderConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ProviderMisconfigured(
    String((input as { name?: unknown })?.name ?? '?'),
    parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
  );
}

/** The adapter for a configured provider. */
export function createAdapter(input: unknown, options: { previewScale: number }): GenaiAdapter {
  const p = parseProviderConfig(input);
  switch (p.kind) {
    case 'local':
      return new LocalAdapter({ previewScale: options.previewScale });
    case 'comfyui': {
      let template: string;
      try {
        template = readFileSync(p.workflowFile, 'utf8');
      } catch (error) {
        throw new ProviderMisconfigured(
          p.name,
          `cannot read workflow ${p.workflowFile}: ${errorMessage(error)}`,
        );
      }
      return new ComfyUiAdapter({
        baseUrl: p.baseUrl,
        workflowTemplate: template,
        ...(p.model ? { model: p.model } : {}),
        ...(p.headers ? { headers: p.headers } : {}),
      });
    }
    case 'http-task':
      return new HttpTaskAdapter(p.name, p.httpTask);
  }
}
