export { ApiError, ApiUnreachable } from './api-error';
export { type ClientOptions, type DeliveryFile, type LiveEvent, ShotcallerClient } from './client';
