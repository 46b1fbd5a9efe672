import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FileStore, HashMismatch, InvalidKey, NotInStore, ObjectNotFound, StorageUnavailable } from '../src';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const temp = () => mkdtempSync(join(tmpdir(), 'file-store-'));
const text = async (r: Readable) => {
  let s = '';
  for await (const c of r) s += c;
  return s;
};

describe('the file store', () => {
  it('writes a file whole under its key and reads it back by the URI it gives', async () => {
    const store = new FileStore({ backend: 'local', root: temp() });
    const stored = await store.put(
      'outputs/NTH/sh-1/attempt-1/a.png',
      { bytes: Buffer.from('frame') },
      { sha256: sha('frame') },
    );
    expect(stored).toMatchObject({ bytes: 5, sha256: sha('frame') });
    expect(stored.uri).toMatch(/^file:\/\/\/.*\/outputs\/NTH\/sh-1\/attempt-1\/a\.png$/);
    expect(store.keyOf(stored.uri)).toBe('outputs/NTH/sh-1/attempt-1/a.png');
    expect(await text(await store.read(stored.key))).toBe('frame');
    expect(await store.digest(stored.key)).toEqual({ sha256: sha('frame'), bytes: 5 });
  });

  it('refuses bytes whose hash is not the declared one and keeps nothing, not even a temp file', async () => {
    const root = temp();
    const store = new FileStore({ backend: 'local', root });
    await expect(
      store.put(
        'deliveries/NTH/sh-1/x.exr',
        { stream: Readable.from([Buffer.from('tampered')]) },
        { sha256: sha('original') },
      ),
    ).rejects.toThrow(HashMismatch);
    expect(readdirSync(join(root, 'deliveries/NTH/sh-1'))).toEqual([]);
    await expect(store.read('deliveries/NTH/sh-1/x.exr')).rejects.toThrow(ObjectNotFound);
  });

  it('never lists a write under way, and its cleanup removes old leftovers only', async () => {
    const root = temp();
    const store = new FileStore({ backend: 'local', root });
    await store.put('outputs/S/a/attempt-1/done.png', { bytes: Buffer.from('x') }, { sha256: sha('x') });
    const dir = join(root, 'outputs/S/a/attempt-1');
    writeFileSync(join(dir, '.killed.png.abc.partial'), 'half');
    writeFileSync(join(dir, '.fresh.png.def.partial'), 'half');
    const old = new Date(Date.now() - 2 * 86_400_000);
    utimesSync(join(dir, '.killed.png.abc.partial'), old, old);
    expect(await store.list('outputs/S')).toEqual([{ key: 'outputs/S/a/attempt-1/done.png', bytes: 1 }]);
    expect(await store.cleanup({ olderThanMs: 86_400_000 })).toEqual([
      'outputs/S/a/attempt-1/.killed.png.abc.partial',
    ]);
    expect(readdirSync(dir).sort()).toEqual(['.fresh.png.def.partial', 'done.png']);
  });

  it('refuses keys that could leave the root, and URIs outside it', async () => {
    const store = new FileStore({ backend: 'local', root: temp() });
    for (const key of ['../etc/passwd', 'a//b', '/abs', 'a/./b', ''])
      await expect(store.put(key, { bytes: Buffer.from('') }, { sha256: sha('') })).rejects.toThrow(
        InvalidKey,
      );
    expect(() => store.keyOf('file:///etc/passwd')).toThrow(NotInStore);
    expect(() => store.keyOf('s3://bucket/key')).toThrow(NotInStore);
  });

  it('resolves a file another machine wrote under its own mount point, through the path mapping', async () => {
    const share = temp();
    mkdirSync(join(share, 'farm'));
    // The artist's mount point is another name for the same share.
    symlinkSync(join(share, 'farm'), join(share, 'artist'));
    const farm = new FileStore({ backend: 'shared-fs', root: join(share, 'farm/shotcaller') });
    mkdirSync(farm.root);
    const artist = new FileStore({
      backend: 'shared-fs',
      root: join(share, 'artist/shotcaller'),
      pathMappings: [[join(share, 'farm'), join(share, 'artist'), 'S:\\shows']],
    });
    const stored = await farm.put('outputs/NTH/f.png', { bytes: Buffer.from('px') }, { sha256: sha('px') });
    const key = artist.keyOf(stored.uri);
    expect(key).toBe('outputs/NTH/f.png');
    expect(await text(await artist.read(key))).toBe('px');
    expect(artist.paths(key)).toEqual([
      join(share, 'artist/shotcaller/outputs/NTH/f.png'),
      join(share, 'farm/shotcaller/outputs/NTH/f.png'),
      'S:\\shows\\shotcaller\\outputs\\NTH\\f.png',
    ]);
  });

  it('says the share is not mounted rather than writing to the local disk', async () => {
    const store = new FileStore({ backend: 'shared-fs', root: join(temp(), 'not-mounted') });
    await expect(store.check({ write: true })).rejects.toThrow(
      /does not exist on this machine: is the share mounted\?/,
    );
    await expect(store.put('outputs/a.png', { bytes: Buffer.from('') }, { sha256: sha('') })).rejects.toThrow(
      StorageUnavailable,
    );
  });
});
