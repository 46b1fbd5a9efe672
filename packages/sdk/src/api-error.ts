import { type Problem, ShotcallerError } from '@shotcaller/contracts';

/** The API answered with a problem document; `code` is its stable error code. */
export class ApiError extends ShotcallerError {
  readonly code: string;
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    const fields = (problem.errors ?? []).map((e) => `\n  ${e.path || '(body)'}: ${e.message}`).join('');
    super(`${problem.detail}${fields}`);
    this.code = problem.code;
  }
}

/** The API could not be reached at all. */
export class ApiUnreachable extends ShotcallerError {
  readonly code = 'api_unreachable';
  constructor(
    readonly baseUrl: string,
    reason: string,
  ) {
    super(
      `Cannot reach the Shotcaller API at ${baseUrl}: ${reason}. Is \`shotcaller start\` running, and is --api right?`,
    );
  }
}
