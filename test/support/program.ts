import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const sources = fileURLToPath(new URL('../../services/shotcaller/src/main.ts', import.meta.url));
const packaged = fileURLToPath(new URL('../../out/shotcaller/dist/main.js', import.meta.url));

/**
 * The node arguments that run `shotcaller …args` the way this test run asks: the compiled program as
 * the image ships it (`pnpm build && pnpm run package`, out/shotcaller) when SHOTCALLER_PROGRAM is
 * `compiled`, as `pnpm test` sets it so the build is what CI tests; else the sources through tsx,
 * which a change to them reaches without a build.
 */
export function shotcallerArgs(args: readonly string[]): string[] {
  const program = process.env.SHOTCALLER_PROGRAM ?? 'source';
  if (program === 'source') return ['--import', 'tsx', sources, ...args];
  if (program !== 'compiled')
    throw new Error(`SHOTCALLER_PROGRAM is ${program}; it must be "source" (tsx) or "compiled"`);
  if (!existsSync(packaged))
    throw new Error(`No compiled program at ${packaged}: run \`pnpm build && pnpm run package\` first`);
  return ['--conditions=shotcaller-compiled', packaged, ...args];
}
