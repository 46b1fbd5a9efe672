export type { ArtifactStore, PutSource, StoredObject, UploadTarget } from './artifact-store';
export { PathMapping, S3Config, StorageConfig } from './config';
export { createArtifactStore } from './create-store';
export { HashMismatch, InvalidKey, NotInStore, ObjectNotFound, StorageUnavailable } from './errors';
export { FileStore, type FileStoreOptions } from './file-store';
export { assertKey, contentTypeOf, deliveryPrefix, outputPrefix, partialSuffix, safeName } from './keys';
export { equivalentPaths, fileUriOf, pathOfFileUri, toLocalPath } from './path-mapping';
export { S3Store } from './s3-store';
export { type UploadClaims, UploadTokenInvalid, UploadTokens } from './upload-tokens';
