import type { ArtifactStore } from './artifact-store';
import type { StorageConfig } from './config';
import { FileStore } from './file-store';
import { S3Store } from './s3-store';

/** The store the configuration names; a local store's root defaults to the data dir. */
export function createArtifactStore(config: StorageConfig, dataDir: string): ArtifactStore {
  switch (config.backend) {
    case 'local':
      return new FileStore({ backend: 'local', root: config.root ?? dataDir });
    case 'shared-fs':
      return new FileStore({ backend: 'shared-fs', root: config.root!, pathMappings: config.pathMappings });
    case 's3':
      return new S3Store(config.s3!, { urlExpirySeconds: config.urlExpirySeconds });
  }
}
