import { ShotcallerError } from '@shotcaller/contracts';

export class KitsuRequestFailed extends ShotcallerError {
  readonly code = 'kitsu_request_failed';
  constructor(
    readonly status: number,
    what: string,
    detail: string,
  ) {
    super(`Kitsu refused ${what} (HTTP ${status}): ${detail}`);
  }
}

export class KitsuUnreachable extends ShotcallerError {
  readonly code = 'kitsu_unreachable';
  constructor(url: string, reason: string) {
    super(`Kitsu at ${url} cannot be reached (${reason}); check kitsu.url and that Zou is running`);
  }
}

/** Zou answered with a shape Shotcaller does not understand: names the field. */
export class KitsuShapeInvalid extends ShotcallerError {
  readonly code = 'kitsu_shape_invalid';
}

export class KitsuNotFound extends ShotcallerError {
  readonly code = 'kitsu_not_found';
}
