import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The example production (the default policy and rate cards, the demo's shots and consents): the copy
 * `pnpm build` puts beside the compiled program (dist/examples), which has no workspace around it,
 * else the workspace's, three folders above this source file.
 */
export function examplesDir(): string {
  const shipped = fileURLToPath(new URL('./examples', import.meta.url));
  return existsSync(shipped) ? shipped : fileURLToPath(new URL('../../../examples', import.meta.url));
}
