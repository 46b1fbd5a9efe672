import { shotIdOfTicketId } from '@shotcaller/shots';
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import {
  ApplicationFailure,
  defineSearchAttributeKey,
  SearchAttributeType,
  type UpdateDefinition,
} from '@temporalio/common';
import {
  AwardOverBudget,
  AwardRateMissing,
  TicketClosed,
  TicketForbidden,
  TicketNotFound,
  TicketRefused,
} from './errors';
import type {
  AwardInput,
  Bid,
  BidInput,
  CancelInput,
  DeliveryInput,
  InvoiceInput,
  NoteInput,
  ReviewInput,
  TicketInput,
  TicketState,
} from './ticket';
import { ticketWorkflowId } from './ticket-ids';
import {
  award,
  bidSubmitted,
  cancel,
  delivered,
  invoice,
  noteAdded,
  review,
  ticketState,
} from './workflows/definitions';

const searchKeys = {
  show: defineSearchAttributeKey('ShotcallerShow', SearchAttributeType.KEYWORD),
  shot: defineSearchAttributeKey('ShotcallerShot', SearchAttributeType.KEYWORD),
  shotId: defineSearchAttributeKey('ShotcallerShotId', SearchAttributeType.KEYWORD),
};

/** Reads ticket ids back into workflow ids: `tk-<shot id without sh->` is the shot's. */
export function shotIdOfTicket(ticketId: string): string {
  const shotId = shotIdOfTicketId(ticketId);
  if (!shotId) throw new TicketNotFound(ticketId);
  return shotId;
}

/** Vendor tickets through Temporal: start one per shot, send it messages, read its state. */
export class TicketClient {
  constructor(
    private readonly client: Client,
    private readonly options: { deployment: string; taskQueue: string },
  ) {}

  workflowId(show: string, shotId: string): string {
    return ticketWorkflowId(this.options.deployment, show, shotId);
  }

  /** Starts the ticket's workflow, or finds the one already started for the shot (running or closed). */
  async start(input: TicketInput): Promise<{ workflowId: string; started: boolean }> {
    const workflowId = this.workflowId(input.show, input.shotId);
    try {
      await this.client.workflow.start('vendorTicket', {
        taskQueue: this.options.taskQueue,
        workflowId,
        args: [input],
        // A closed ticket is not reopened by a repeated start: the shot had its ticket.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: searchKeys.show, value: input.show },
          { key: searchKeys.shot, value: input.label },
          { key: searchKeys.shotId, value: input.shotId },
        ],
        memo: { show: input.show, shot: input.label, ticketId: input.ticketId },
      });
      return { workflowId, started: true };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
      throw error;
    }
  }

  async state(show: string, shotId: string): Promise<TicketState> {
    const handle = this.client.workflow.getHandle(this.workflowId(show, shotId));
    try {
      const { status } = await handle.describe();
      // A closed ticket answers from its result, which needs no worker.
      if (status.name === 'COMPLETED') return (await handle.result()) as TicketState;
      return await handle.query(ticketState);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new TicketNotFound(shotId);
      throw error;
    }
  }

  bid(show: string, shotId: string, bid: BidInput): Promise<Bid> {
    return this.update(show, shotId, bidSubmitted, bid);
  }
  award(show: string, shotId: string, a: AwardInput): Promise<TicketState> {
    return this.update(show, shotId, award, a);
  }
  deliver(show: string, shotId: string, d: DeliveryInput): Promise<TicketState> {
    return this.update(show, shotId, delivered, d);
  }
  review(show: string, shotId: string, r: ReviewInput): Promise<TicketState> {
    return this.update(show, shotId, review, r);
  }
  invoice(show: string, shotId: string, i: InvoiceInput): Promise<TicketState> {
    return this.update(show, shotId, invoice, i);
  }
  cancel(show: string, shotId: string, c: CancelInput): Promise<TicketState> {
    return this.update(show, shotId, cancel, c);
  }
  /** A note for the vendor, shown in their tracker; refused (TicketClosed) once the ticket is closed. */
  note(show: string, shotId: string, n: NoteInput): Promise<TicketState> {
    return this.update(show, shotId, noteAdded, n);
  }

  private async update<Ret, Arg>(
    show: string,
    shotId: string,
    definition: UpdateDefinition<Ret, [Arg]>,
    arg: Arg,
  ): Promise<Ret> {
    const handle = this.client.workflow.getHandle(this.workflowId(show, shotId));
    try {
      return await handle.executeUpdate(definition, { args: [arg] });
    } catch (error) {
      throw await this.translate(error, handle, shotId);
    }
  }

  private async translate(
    error: unknown,
    handle: ReturnType<Client['workflow']['getHandle']>,
    shotId: string,
  ): Promise<unknown> {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const { type, message } = error.cause;
      if (type === 'TicketClosed') return new TicketClosed(message);
      if (type === 'TicketForbidden') return new TicketForbidden(message);
      if (type === 'TicketNotFound') return new TicketRefused(message);
      if (type === 'OverBudget') return new AwardOverBudget(message);
      if (type === 'RateMissing') return new AwardRateMissing(message);
      return new TicketRefused(message);
    }
    if (error instanceof WorkflowNotFoundError) {
      // Updates to a finished workflow come back as not-found; say which it is.
      try {
        const { status } = await handle.describe();
        return new TicketClosed(
          `The ticket for shot ${shotId} is closed (${status.name.toLowerCase()}); it takes no more messages`,
        );
      } catch {
        return new TicketNotFound(shotId);
      }
    }
    return error;
  }
}
