import { ShotcallerError } from '@shotcaller/contracts';

/** The signing key, certificate or trust anchors configured cannot be used; the message says why. */
export class ProvenanceConfigInvalid extends ShotcallerError {
  readonly code = 'provenance_config_invalid';
}

/** A file could not be signed (its bytes are not the format they claim, or the library refused). */
export class SigningFailed extends ShotcallerError {
  readonly code = 'signing_failed';
}
