import type { TicketInput, TicketState } from '../ticket';

/** A ticket as a tracker is asked to open it. */
export type TrackerTicket = TicketInput & { workflowId: string; bidDeadline: string };

/** A step of the ticket that the vendor's tracker should show: a status, a note, and the whole state. */
export interface TrackerChange {
  status: string;
  note: string;
  ticket: TicketState;
}

/**
 * Where a vendor sees its tickets: kept by Shotcaller (`local`), in the studio's Flow Production
 * Tracking (`shotgrid`), or pushed to the vendor's own endpoint (`webhook`). Calls must be safe to
 * repeat: an activity that timed out is retried.
 */
export interface VendorTracker {
  readonly name: string;
  open(ticket: TrackerTicket): Promise<{ trackerRef: string }>;
  update(trackerRef: string, change: TrackerChange): Promise<void>;
}

export type VendorTrackers = Record<string, VendorTracker>;
