export { DeliveryFailed, deliver } from './deliver';
export { emailMessage, webhookPayload } from './messages';
export { type DeadNotification, Notifier, type NotifierOptions } from './notifier';
export { type Target, wants } from './targets';
