import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AwardInput,
  Bid,
  BidInput,
  CancelInput,
  DeliveryInput,
  InvoiceInput,
  NoteInput,
  ReviewInput,
  TicketState,
} from '../ticket';

/**
 * A ticket's messages. They are Temporal Updates rather than plain signals: each is checked by a
 * validator before it enters the history, so a vendor bidding on a ticket it was not invited to, or
 * anyone writing to a closed ticket, gets the reason back at once instead of a silent no-op.
 */
export const bidSubmitted = defineUpdate<Bid, [BidInput]>('bidSubmitted');
export const award = defineUpdate<TicketState, [AwardInput]>('award');
export const delivered = defineUpdate<TicketState, [DeliveryInput]>('delivered');
export const review = defineUpdate<TicketState, [ReviewInput]>('review');
export const invoice = defineUpdate<TicketState, [InvoiceInput]>('invoice');
export const cancel = defineUpdate<TicketState, [CancelInput]>('cancel');
export const noteAdded = defineUpdate<TicketState, [NoteInput]>('noteAdded');
export const ticketState = defineQuery<TicketState>('ticketState');
