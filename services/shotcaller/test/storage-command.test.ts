import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitCodes, type Io, runCli } from '@shotcaller/cli';
import { describe, expect, it } from 'vitest';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), tty: false };
  const code = await runCli(argv, io, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('shotcaller storage', () => {
  it('removes what a killed writer left behind once it is old, and nothing else', async () => {
    const root = mkdtempSync(join(tmpdir(), 'store-'));
    const config = join(root, 'shotcaller.yaml');
    writeFileSync(config, `storage:\n  backend: local\n  root: ${root}/store\n`);
    const dir = join(root, 'store/outputs/NTH/sh-1/attempt-1');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'f.0001.png'), 'frame');
    writeFileSync(join(dir, '.f.0002.png.1a2b.partial'), 'half a frame');
    const old = new Date(Date.now() - 3 * 86_400_000);
    utimesSync(join(dir, '.f.0002.png.1a2b.partial'), old, old);

    expect((await cli('storage', 'check', '--config', config)).out).toBe(`ok: local ${root}/store`);
    const cleaned = await cli('storage', 'cleanup', '--config', config);
    expect(cleaned.code).toBe(exitCodes.ok);
    expect(cleaned.out).toContain('removed outputs/NTH/sh-1/attempt-1/.f.0002.png.1a2b.partial');
    expect(cleaned.out).toContain('1 leftover(s) removed');
    expect(readdirSync(dir)).toEqual(['f.0001.png']);
  });

  it('says what is wrong with a store it cannot use', async () => {
    const root = mkdtempSync(join(tmpdir(), 'store-'));
    const config = join(root, 'shotcaller.yaml');
    writeFileSync(config, `storage:\n  backend: shared-fs\n  root: ${root}/unmounted\n`);
    const checked = await cli('storage', 'check', '--config', config);
    expect(checked.code).toBe(exitCodes.failed);
    expect(checked.err).toContain(
      `error (storage_unavailable): The artifact store (shared-fs ${root}/unmounted) is unavailable`,
    );
  });
});
