export {
  IdempotencyConflict,
  IllegalTransition,
  ReviewOnTicket,
  RevisionRefused,
  ShotBusy,
  ShotNotFound,
} from './errors';
export { shotKeys } from './keys';
export { assertTransition, canTransition, finalStates, transitions } from './lifecycle';
export {
  bullPrefix,
  createQueue,
  genaiQueueName,
  priorities,
  type QueueName,
  queueNames,
  ShotJob,
  shotJobId,
  WorkQueues,
  workQueueName,
} from './queues';
export {
  type Actor,
  ComplianceHoldNotOverridable,
  OverrideUnchanged,
  ShotCommands,
  type ShotQueues,
} from './shot-commands';
export { ShotRecord } from './shot-record';
export { type ChangeOptions, type ListOptions, type PendingEvent, pending, ShotStore } from './shot-store';
export { shotIdOfTicketId, ticketIdOf } from './ticket-ids';
