export { ApiError, ApiUnreachable } from './api-error';
export {
  type ClientOptions,
  type DeliveryFile,
  type LiveEvent,
  type RateLimitWait,
  ShotcallerClient,
} from './client';
export { retryAfterMs } from './retry-after';
