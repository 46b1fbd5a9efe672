export {
  createTicketActivities,
  type RecordRequest,
  type TicketActivities,
  type TicketEvent,
} from './activities';
export { lowestBidWithinBudget, overBudget } from './award-budget';
export {
  checkDeliveredFiles,
  deliveryKey,
  recordDeliveryCredentials,
  UploadRequest,
} from './delivery-files';
export {
  AwardOverBudget,
  AwardRateMissing,
  DeliveryRefused,
  TicketClosed,
  TicketForbidden,
  TicketNotFound,
  TicketRefused,
} from './errors';
export {
  AwardInput,
  Bid,
  BidInput,
  BidPrice,
  BudgetCheck,
  CancelInput,
  DeliveryInput,
  InvoiceInput,
  NoteInput,
  ReviewInput,
  TicketInput,
  TicketPhase,
  TicketState,
  TicketTerms,
  type TicketTermsInput,
} from './ticket';
export { shotIdOfTicket, TicketClient } from './ticket-client';
export { ticketWorkflowId } from './ticket-ids';
export { createTrackers } from './trackers/create-trackers';
export { LocalTicket, LocalTracker, localTrackerKeys } from './trackers/local-tracker';
export { ShotgridConfig, ShotgridRequestFailed, ShotgridTracker } from './trackers/shotgrid-tracker';
export type { TrackerChange, TrackerTicket, VendorTracker, VendorTrackers } from './trackers/tracker';
export { WebhookTracker, WebhookTrackerConfig, WebhookTrackerFailed } from './trackers/webhook-tracker';
export { ticketWorkflows, workflowsPath } from './workflow-code';
