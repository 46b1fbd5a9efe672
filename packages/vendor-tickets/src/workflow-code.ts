import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Path of the workflow module's source, for a Temporal worker's `workflowsPath` (and replay tests). */
export const workflowsPath = new URL('./workflows/index.ts', import.meta.url).pathname;

/**
 * The ticket workflows as a Temporal worker takes them: the bundle `pnpm build` wrote beside the
 * compiled package, else the sources, which the worker then bundles itself at start.
 */
export function ticketWorkflows(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const codePath = fileURLToPath(new URL('./workflow-bundle.js', import.meta.url));
  if (existsSync(codePath)) return { workflowBundle: { codePath } };
  if (existsSync(workflowsPath)) return { workflowsPath };
  throw new Error(`No ticket workflows: neither ${codePath} (run \`pnpm build\`) nor ${workflowsPath}`);
}
