import { readFileSync } from 'node:fs';
import { ShotcallerError } from '@shotcaller/contracts';
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

/** The adapter for a configured provider. */
export function createAdapter(input: unknown, options: { previewScale: number }): GenaiAdapter {
  const parsed = ProviderConfig.safeParse(input);
  const name = String((input as { name?: unknown })?.name ?? '?');
  if (!parsed.success)
    throw new ProviderMisconfigured(
      name,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  const p = parsed.data;
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
          `cannot read workflow ${p.workflowFile}: ${(error as Error).message}`,
        );
      }
      return new ComfyUiAdapter({
        baseUrl: p.baseUrl,
        workflowTemplate: template,
        ...(p.model ? { model: p.model } : {}),
      });
    }
    case 'http-task':
      return new HttpTaskAdapter(p.name, p.httpTask);
  }
}
