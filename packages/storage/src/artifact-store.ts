import type { Readable } from 'node:stream';

/** An object as the store holds it: its key, the URI events record, its size and SHA-256 (hex). */
export interface StoredObject {
  key: string;
  uri: string;
  bytes: number;
  sha256: string;
}

/** What to write: a local file, bytes in memory, or a stream (an upload being received). */
export type PutSource = { path: string } | { bytes: Uint8Array } | { stream: Readable };

/** A URL a client sends the bytes to, with the headers it must send (they are part of the signature). */
export interface UploadTarget {
  method: 'PUT';
  url: string;
  headers: Record<string, string>;
  expiresAt: string;
}

/**
 * Everything Shotcaller writes or receives as a file goes through one of these, chosen by
 * configuration: a directory (local or on shared storage) or an S3-compatible bucket. A written object
 * appears whole or not at all, and only with the SHA-256 the writer declared; listings never show a
 * write still under way.
 */
export interface ArtifactStore {
  readonly backend: 'local' | 'shared-fs' | 's3';
  /** Says where the store is, for messages and logs (never a secret). */
  readonly description: string;
  /** Writes `key`; refuses (HashMismatch) and keeps nothing when the bytes' SHA-256 is not `sha256`. */
  put(
    key: string,
    source: PutSource,
    options: { sha256: string; contentType?: string; signal?: AbortSignal },
  ): Promise<StoredObject>;
  /** The object's bytes; ObjectNotFound when there is none. */
  read(key: string): Promise<Readable>;
  /** The SHA-256 and size of what the store holds: from the checksum it verified on upload, else by reading it back. */
  digest(key: string): Promise<{ sha256: string; bytes: number }>;
  /** Complete objects under `prefix` (never a write under way). */
  list(prefix: string): Promise<Array<{ key: string; bytes: number }>>;
  delete(key: string): Promise<void>;
  /** The URI events record for `key`: `s3://bucket/key`, or `file://` and the path as this machine writes it. */
  uri(key: string): string;
  /** The key a URI names in this store, through the path mappings; NotInStore when it names something else. */
  keyOf(uri: string): string;
  /** A URL that fetches the object without Shotcaller credentials, or undefined when clients go through the API. */
  downloadUrl(
    key: string,
    options?: { filename?: string; contentType?: string },
  ): Promise<{ url: string; expiresAt: string } | undefined>;
  /** A URL that takes exactly the bytes whose SHA-256 is `sha256`, or undefined when uploads go through the API. */
  uploadUrl(
    key: string,
    options: { sha256: string; contentType?: string },
  ): Promise<UploadTarget | undefined>;
  /** The object's path on each machine the path mappings name (shared storage only). */
  paths(key: string): string[];
  /** Throws StorageUnavailable, with what to fix, unless the store answers and lets this role do what it needs. */
  check(needs: { write: boolean }): Promise<void>;
  /** Removes leftovers of interrupted writes older than `olderThanMs`; returns what it removed. */
  cleanup(options: { olderThanMs: number; now?: Date }): Promise<string[]>;
}
