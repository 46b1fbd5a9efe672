import { ShotcallerError } from '@shotcaller/contracts';

/** OpenTimelineIO could not read the file as a cut: the reason is OTIO's own. */
export class CutUnreadable extends ShotcallerError {
  readonly code = 'cut_unreadable';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`The turnover ${file} cannot be read: ${reason}`);
  }
}

/** The Python that has OpenTimelineIO is not installed where Shotcaller looks for it. */
export class OtioMissing extends ShotcallerError {
  readonly code = 'otio_missing';
  constructor(python: string, reason: string) {
    super(
      `OpenTimelineIO is not available at ${python} (${reason}): run \`bash infra/bootstrap.sh\`, which installs it pinned into .tools/venv, or set SHOTCALLER_OTIO_PYTHON to a Python that has opentimelineio-plugins`,
    );
  }
}

/** The mapping names a track the cut does not have. */
export class NoSuchTrack extends ShotcallerError {
  readonly code = 'no_such_track';
  constructor(track: string, have: string[]) {
    super(`The turnover has no video track named "${track}" (it has: ${have.join(', ') || 'none'})`);
  }
}
