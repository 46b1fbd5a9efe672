import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@shotcaller/engines';

/**
 * The example production (the default policy and rate cards, the demo's shots and consents): the copy
 * `pnpm build` puts beside the compiled program, which has no workspace around it, else the workspace's.
 */
export function examplesDir(): string {
  const shipped = fileURLToPath(new URL('./examples', import.meta.url));
  return existsSync(shipped) ? shipped : join(repoRoot(), 'examples');
}
