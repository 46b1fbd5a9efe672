import { ShotcallerError } from '@shotcaller/contracts';

/**
 * The store cannot be used now: unreachable, no such bucket, no permission, disk full. Roles refuse to
 * start on it; a task that meets it is retried later; the API answers 503. Never a shot failed for good.
 */
export class StorageUnavailable extends ShotcallerError {
  readonly code = 'storage_unavailable';
  readonly permanent = false;
  constructor(
    readonly store: string,
    reason: string,
  ) {
    super(`The artifact store (${store}) is unavailable: ${reason}`);
  }
}

/** What reached the store is not what was declared: the write is refused and nothing is kept. */
export class HashMismatch extends ShotcallerError {
  readonly code = 'hash_mismatch';
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `${key}: the bytes received have SHA-256 ${actual}, not the declared ${expected}; the file was refused, upload it again`,
    );
  }
}

export class ObjectNotFound extends ShotcallerError {
  readonly code = 'object_not_found';
  constructor(readonly key: string) {
    super(`No file ${key} in the artifact store`);
  }
}

/** A URI that names nothing in this deployment's store (another bucket, a path outside the root). */
export class NotInStore extends ShotcallerError {
  readonly code = 'not_in_store';
  constructor(
    readonly uri: string,
    where: string,
  ) {
    super(`${uri} is not in the artifact store (${where})`);
  }
}

/** A key that could escape its prefix or that a backend cannot hold. */
export class InvalidKey extends ShotcallerError {
  readonly code = 'invalid_key';
  constructor(readonly key: string) {
    super(
      `"${key}" is not a valid artifact key: use "/"-separated names of letters, digits, ".", "_" and "-"`,
    );
  }
}
