export {
  IdempotencyConflict,
  IllegalTransition,
  ReviewOnTicket,
  RevisionRefused,
  ShotBusy,
  ShotNotFound,
} from './errors';
export { shotKeys } from './keys';
export {
  assertTransition,
  canTransition,
  finalStates,
  isStoppable,
  revisableStates,
  stoppableStates,
  transitions,
} from './lifecycle';
export {
  bullPrefix,
  closeWorker,
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
export { type SharedCode, ShotCodeTaken } from './shot-codes';
export {
  type Actor,
  ComplianceHoldNotOverridable,
  OverrideUnchanged,
  ShotCommands,
} from './shot-commands';
export { ShotPartitions } from './shot-partitions';
export { ShotRecord } from './shot-record';
export {
  type ChangeOptions,
  type ListOptions,
  listShots,
  type PendingEvent,
  pending,
  type ShotListSource,
  ShotStore,
} from './shot-store';
export { shotIdOfTicketId, ticketIdOf } from './ticket-ids';
