import { type Problem, ShotcallerError, ValidationFailed } from '@shotcaller/contracts';
import { isRedisUnreachable } from '@shotcaller/events';
import { ShotCodeTaken } from '@shotcaller/shots';
import { RateLimited } from './errors';

/** HTTP status of each error code; anything not here that is ours is a 400, anything else a 500. */
const statusOf: Record<string, number> = {
  validation_failed: 400,
  batch_too_large: 413,
  unauthenticated: 401,
  forbidden: 403,
  no_role_from_claims: 403,
  identity_provider_unreachable: 503,
  sign_in_failed: 400,
  sign_in_unconfigured: 404,
  not_found: 404,
  shot_not_found: 404,
  illegal_transition: 409,
  idempotency_conflict: 409,
  shot_code_taken: 409,
  shot_busy: 409,
  compliance_hold: 409,
  override_unchanged: 409,
  ticket_closed: 409,
  ticket_not_found: 404,
  ticket_refused: 409,
  award_over_budget: 409,
  fx_rate_missing: 409,
  tickets_unavailable: 503,
  shotgrid_request_failed: 502,
  vendor_webhook_failed: 502,
  review_on_ticket: 409,
  kitsu_unconfigured: 503,
  revision_refused: 409,
  kitsu_request_failed: 502,
  kitsu_unreachable: 502,
  kitsu_shape_invalid: 502,
  kitsu_not_found: 404,
  cut_unreadable: 422,
  no_such_track: 422,
  otio_missing: 503,
  consent_not_found: 404,
  consent_already_revoked: 409,
  alert_not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  malformed_json: 400,
  rate_limited: 429,
  storage_unavailable: 503,
  replication_timeout: 503,
  hash_mismatch: 422,
  delivery_refused: 422,
  object_not_found: 404,
  not_in_store: 422,
  invalid_key: 400,
  upload_token_invalid: 403,
  currency_mismatch: 409,
  amount_too_large: 422,
  reporting_currency_conflict: 409,
  budget_line_not_found: 404,
  budget_version_not_found: 404,
  response_off_schema: 500,
};

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  429: 'Too many requests',
  422: 'Unprocessable content',
  500: 'Internal error',
  503: 'Unavailable',
};

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
}

/** Turns anything thrown while handling a request into an RFC 9457 problem document. */
export function toProblem(error: unknown, instance?: string): Problem {
  let status = 500;
  let code = 'internal_error';
  let detail = 'Something went wrong on our side; the error is in the server log';
  let errors: Problem['errors'];
  let retryAfterSeconds: number | undefined;
  let liveShot: Problem['liveShot'];
  if (error instanceof ShotcallerError) {
    code = error.code;
    status = statusOf[code] ?? 400;
    detail = error.message;
    if (error instanceof ValidationFailed) errors = error.issues;
    if (error instanceof RateLimited) retryAfterSeconds = error.retryAfterSeconds;
    if (error instanceof ShotCodeTaken)
      liveShot = { id: error.shotId, code: error.shotCode, state: error.state, href: error.href };
  } else if (isHandlerTimeout(error)) {
    status = 503;
    code = 'handler_timeout';
    detail =
      'The server did not finish this request in time (api.timeouts.handlerMs); the work may still complete, so check before retrying a change';
  } else if (isRedisUnreachable(error)) {
    // A failover or a restart under way: the caller's request was fine, and can be sent again shortly.
    status = 503;
    code = 'redis_unavailable';
    // No Retry-After: clients resend a 503 that has one on their own, which is safe only when nothing
    // happened, and here the write may have landed before the connection was lost.
    detail = `Redis did not answer (${(error as Error).message}); a failover or restart may be under way. The request may or may not have taken effect: check, or send it again in a moment (a submission with the same idempotency key is created once)`;
  } else if (isFastifyClientError(error)) {
    status = error.statusCode!;
    ({ code, detail } = describeFastifyError(error));
  }
  return {
    type: `urn:shotcaller:problem:${code}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    code,
    ...(instance ? { instance } : {}),
    ...(errors ? { errors } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(liveShot ? { liveShot } : {}),
  };
}

function isHandlerTimeout(error: unknown): boolean {
  return (error as FastifyLikeError | undefined)?.code === 'FST_ERR_HANDLER_TIMEOUT';
}

function isFastifyClientError(error: unknown): error is FastifyLikeError {
  const status = (error as FastifyLikeError | undefined)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function describeFastifyError(error: FastifyLikeError): { code: string; detail: string } {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'payload_too_large', detail: 'The request body is larger than this server accepts' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'unsupported_media_type', detail: 'Send the body as application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'malformed_json', detail: 'The body is empty; send a JSON document' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'malformed_json', detail: `The body is not valid JSON: ${error.message}` };
    // Fastify's own message echoes the whole path back: say what is wrong without it.
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { code: 'uri_too_long', detail: 'A part of the path is longer than any id this API has' };
    case 'FST_ERR_BAD_URL':
      return { code: 'bad_url', detail: 'The path is not a valid URL (a broken percent-encoding?)' };
    default:
      if (error.statusCode === 400 && /JSON/i.test(error.message)) {
        return { code: 'malformed_json', detail: `The body is not valid JSON: ${error.message}` };
      }
      return { code: error.code?.toLowerCase() ?? 'bad_request', detail: error.message };
  }
}
