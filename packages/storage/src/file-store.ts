import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorMessage } from '@shotcaller/contracts';
import type { ArtifactStore, PutSource, StoredObject } from './artifact-store';
import type { PathMapping } from './config';
import { HashMismatch, NotInStore, ObjectNotFound, StorageUnavailable } from './errors';
import { assertKey, partialSuffix } from './keys';
import { digestOf } from './part-hasher';
import { equivalentPaths, fileUriOf, pathOfFileUri, toLocalPath } from './path-mapping';

export interface FileStoreOptions {
  backend: 'local' | 'shared-fs';
  /** The store's root as this machine sees it. */
  root: string;
  pathMappings?: readonly PathMapping[];
}

/** Files up to this size are read whole, hashed, then written; larger ones (and uploads) are streamed. */
const inMemoryBytes = 16 * 1024 * 1024;

/** Errors of the file system that mean "not now" rather than "not there", in words an operator acts on. */
const unavailable: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  EIO: 'an I/O error',
  ESTALE: 'a stale network file handle (the share was remounted?)',
  ENOTCONN: 'the share is not connected',
  EHOSTDOWN: 'the file server is down',
  ETIMEDOUT: 'the file server timed out',
};

/**
 * A store in a directory: the data dir on this machine (`local`) or a root on shared storage
 * (`shared-fs`, NFS or SMB). Each write goes to a temp file beside its target, is hashed on the way,
 * flushed to disk, and renamed into place, so a reader sees the whole file or none. `file:` URIs are
 * the path as the writing machine sees it; a reader translates them with the path mappings.
 */
export class FileStore implements ArtifactStore {
  readonly backend: 'local' | 'shared-fs';
  readonly root: string;
  readonly description: string;
  private readonly mappings: readonly PathMapping[];
  private checked = false;

  constructor(options: FileStoreOptions) {
    this.backend = options.backend;
    this.root = resolve(options.root);
    this.mappings = options.pathMappings ?? [];
    this.description = `${options.backend} ${this.root}`;
  }

  private pathOf(key: string): string {
    assertKey(key);
    return join(this.root, ...key.split('/'));
  }

  private fail(error: unknown, key: string): never {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOENT') throw new ObjectNotFound(key);
    if (code in unavailable)
      throw new StorageUnavailable(this.description, `${unavailable[code]} (${code}) at ${key}`);
    throw error;
  }

  async put(
    key: string,
    source: PutSource,
    options: { sha256: string; signal?: AbortSignal },
  ): Promise<StoredObject> {
    const target = this.pathOf(key);
    const temp = join(
      dirname(target),
      `.${basename(target)}.${randomBytes(6).toString('hex')}${partialSuffix}`,
    );
    try {
      if (this.backend === 'shared-fs') await this.assertMounted();
      await mkdir(dirname(target), { recursive: true });
      // Frames and manifests are small: in memory they are hashed before anything is written.
      const whole =
        'bytes' in source
          ? source.bytes
          : 'path' in source && (await stat(source.path)).size <= inMemoryBytes
            ? await readFile(source.path)
            : undefined;
      let actual: string;
      let bytes: number;
      if (whole) {
        actual = createHash('sha256').update(whole).digest('hex');
        bytes = whole.length;
        if (actual !== options.sha256) throw new HashMismatch(key, options.sha256, actual);
        await writeFile(temp, whole, { flag: 'wx', ...(options.signal ? { signal: options.signal } : {}) });
      } else {
        ({ actual, bytes } = await this.streamTo(
          temp,
          'path' in source ? createReadStream(source.path) : (source as { stream: Readable }).stream,
          options.signal,
        ));
        if (actual !== options.sha256) throw new HashMismatch(key, options.sha256, actual);
      }
      // Flushed before the rename: on NFS and after a power cut, a renamed file must hold its bytes.
      if (this.backend === 'shared-fs') {
        const handle = await open(temp, 'r+');
        try {
          await handle.datasync();
        } finally {
          await handle.close();
        }
      }
      await rename(temp, target);
      return { key, uri: this.uri(key), bytes, sha256: actual };
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      // A missing source file is the caller's mistake, not a missing object.
      if ('path' in source && (error as NodeJS.ErrnoException).path === source.path) throw error;
      return this.fail(error, key);
    }
  }

  /** Streams `input` into `temp`, hashing it on the way. */
  private async streamTo(
    temp: string,
    input: Readable,
    signal: AbortSignal | undefined,
  ): Promise<{ actual: string; bytes: number }> {
    const hash = createHash('sha256');
    let bytes = 0;
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(input, counting, createWriteStream(temp, { flags: 'wx' }), signal ? { signal } : {});
    return { actual: hash.digest('hex'), bytes };
  }

  async read(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    try {
      const handle = await open(path, 'r');
      return handle.createReadStream();
    } catch (error) {
      // A file missing because the whole share is is not "no such file": say the store is unavailable.
      if (this.backend === 'shared-fs' && (error as NodeJS.ErrnoException).code === 'ENOENT')
        await this.assertMounted();
      return this.fail(error, key);
    }
  }

  async digest(key: string): Promise<{ sha256: string; bytes: number }> {
    return digestOf(await this.read(key));
  }

  async list(prefix: string): Promise<Array<{ key: string; bytes: number }>> {
    const dir = prefix ? this.pathOf(prefix.replace(/\/+$/, '')) : this.root;
    const out: Array<{ key: string; bytes: number }> = [];
    for (const file of await this.walk(dir)) {
      if (file.name.endsWith(partialSuffix)) continue;
      out.push({ key: relative(this.root, file.path).split(sep).join('/'), bytes: file.bytes });
    }
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  private async walk(
    dir: string,
    deep = true,
  ): Promise<Array<{ path: string; name: string; bytes: number; mtimeMs: number }>> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      return this.fail(error, relative(this.root, dir) || '.');
    }
    const out: Array<{ path: string; name: string; bytes: number; mtimeMs: number }> = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (deep) out.push(...(await this.walk(path)));
      } else if (entry.isFile()) {
        const s = await stat(path).catch(() => undefined);
        if (s) out.push({ path, name: entry.name, bytes: s.size, mtimeMs: s.mtimeMs });
      }
    }
    return out;
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') this.fail(error, key);
    });
  }

  uri(key: string): string {
    return fileUriOf(this.pathOf(key));
  }

  keyOf(uri: string): string {
    const written = pathOfFileUri(uri);
    const local = written === undefined ? undefined : toLocalPath(written, this.mappings, this.root);
    if (local === undefined)
      throw new NotInStore(
        uri,
        `not a file under ${this.root}${this.mappings.length ? ' or a path the path mappings reach' : ''}`,
      );
    const rel = relative(this.root, resolve(local));
    const key = rel.split(sep).join('/');
    if (!rel || rel.startsWith('..') || resolve(this.root, rel) !== resolve(local))
      throw new NotInStore(uri, `outside ${this.root}`);
    return key;
  }

  async downloadUrl(): Promise<undefined> {
    return undefined;
  }

  async uploadUrl(): Promise<undefined> {
    return undefined;
  }

  paths(key: string): string[] {
    return this.backend === 'shared-fs' ? equivalentPaths(this.pathOf(key), this.mappings) : [];
  }

  /** A shared root that is missing means the share is not mounted: writing would fill the local disk instead. */
  private async assertMounted(): Promise<void> {
    const s = await stat(this.root).catch(() => undefined);
    if (!s?.isDirectory())
      throw new StorageUnavailable(
        this.description,
        `${this.root} does not exist on this machine: is the share mounted?`,
      );
  }

  async check(needs: { write: boolean }): Promise<void> {
    // A directory on this machine does not come and go: once it answered, the genai worker's check before each task costs nothing.
    if (this.backend === 'local' && !needs.write && this.checked) return;
    try {
      if (this.backend === 'local') await mkdir(this.root, { recursive: true });
      await this.assertMounted();
      if (needs.write) {
        const probe = join(this.root, `.shotcaller-probe-${randomBytes(6).toString('hex')}${partialSuffix}`);
        await (await open(probe, 'wx')).close();
        await unlink(probe);
      }
      this.checked = true;
    } catch (error) {
      if (error instanceof StorageUnavailable) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? '';
      throw new StorageUnavailable(
        this.description,
        `${unavailable[code] ?? errorMessage(error)} (${code || 'error'}) at ${this.root}`,
      );
    }
  }

  async cleanup(options: { olderThanMs: number; now?: Date }): Promise<string[]> {
    const cutoff = (options.now ?? new Date()).getTime() - options.olderThanMs;
    const removed: string[] = [];
    // Only Shotcaller's own folders: a local root is the data dir, which also holds Redis's files.
    const files = [
      ...(await this.walk(join(this.root, 'outputs'))),
      ...(await this.walk(join(this.root, 'deliveries'))),
      ...(await this.walk(this.root, false)),
    ];
    for (const file of files) {
      if (!file.name.endsWith(partialSuffix) || file.mtimeMs > cutoff) continue;
      await rm(file.path, { force: true });
      removed.push(relative(this.root, file.path).split(sep).join('/'));
    }
    return removed;
  }
}
