export { ApiError, ApiUnreachable } from './api-error';
export { type ClientOptions, type LiveEvent, ShotcallerClient } from './client';
