import { AmountTooLarge, BudgetProjection, FxRates } from '@shotcaller/budget';
import { type EventDraft, eventFromDraft, type Money, type ShotState } from '@shotcaller/contracts';
import type { RedisClient } from '@shotcaller/events';
import { eventSource } from '@shotcaller/events';
import { IllegalTransition, type ShotStore } from '@shotcaller/shots';
import { ApplicationFailure } from '@temporalio/common';
import type { BidPrice, BudgetCheck, TicketInput, TicketState } from './ticket';
import type { TrackerChange, VendorTrackers } from './trackers/tracker';

/** An event the workflow asks to append, under an id it derived, so a retried activity appends once. */
export type TicketEvent = EventDraft & { id: string };

export interface RecordRequest {
  shotId: string;
  /** A lifecycle move made atomically with `events`; when the shot can no longer make it, neither happens. */
  to?: ShotState;
  events: TicketEvent[];
  /** Appended whether or not the move happened. */
  always?: TicketEvent[];
}

export interface TicketActivitiesDeps {
  redis: RedisClient;
  deployment: string;
  store: ShotStore;
  trackers: VendorTrackers;
  clock?: () => Date;
}

/** The activities of the ticket workflow: its only way to touch Redis and the vendors' trackers. */
export function createTicketActivities(deps: TicketActivitiesDeps) {
  const { store, trackers } = deps;
  const log = store.log;
  const clock = deps.clock ?? (() => new Date());
  const source = eventSource(deps.deployment, 'temporal-worker');
  const budget = new BudgetProjection(deps.redis, deps.deployment);

  const envelopes = async (shotId: string, events: readonly TicketEvent[]) => {
    if (events.length === 0) return [];
    const { show } = await store.require(shotId);
    const time = clock();
    return events.map((e) =>
      eventFromDraft(e, { source, subject: shotId, correlationId: shotId, show, time }),
    );
  };

  const trackerOf = (name: string) => {
    const tracker = trackers[name];
    if (!tracker)
      throw ApplicationFailure.nonRetryable(
        `No vendor tracker "${name}" is configured (have: ${Object.keys(trackers).join(', ')})`,
        'UnknownTracker',
      );
    return tracker;
  };

  /** Appends the ticket's events, with the shot's move when there is one; says whether the shot moved. */
  async function record(request: RecordRequest): Promise<{ moved: boolean }> {
    const all = [...request.events, ...(request.always ?? [])];
    if (request.to) {
      // The move and its events are one atomic write, so the first event being in the log means it happened.
      if (all.length > 0 && (await log.has(all[0]!.id, request.shotId))) return { moved: true };
      try {
        await store.change(request.shotId, {
          to: request.to,
          events: () => all,
          source,
          now: clock(),
        });
        return { moved: true };
      } catch (error) {
        if (!(error instanceof IllegalTransition)) throw error;
        // The shot moved on without the ticket (cancelled by a TD): keep the ticket's own record.
        await log.appendMany(await envelopes(request.shotId, request.always ?? []));
        return { moved: false };
      }
    }
    // Each append is idempotent on its id, so a retry appends only what the last try did not.
    await log.appendMany(await envelopes(request.shotId, all));
    return { moved: false };
  }

  const remainingOf = async (shotId: string, lineId: string) => {
    const [line, totals, own] = await Promise.all([
      budget.line(lineId),
      budget.lineTotals(lineId),
      budget.row(shotId),
    ]);
    if (!line) return { line, remaining: undefined };
    const othersEfc = (totals.efc ?? 0) - (own?.efc ?? 0);
    const remaining: Money = {
      amountMinor: line.amount.amountMinor - othersEfc,
      currency: line.amount.currency,
    };
    return { line, remaining };
  };

  return {
    record,

    async openTicket(
      input: TicketInput,
      opened: { workflowId: string; bidDeadline: string },
    ): Promise<{ trackerRef: string; shotCancelled: boolean }> {
      const { trackerRef } = await trackerOf(input.terms.tracker).open({ ...input, ...opened });
      const { moved } = await record({
        shotId: input.shotId,
        to: 'in-progress',
        events: [
          {
            id: `${input.ticketId}/started`,
            type: 'io.shotcaller.shot.started.v1',
            data: { shotId: input.shotId, route: 'vendor' },
          },
          {
            id: `${input.ticketId}/opened`,
            type: 'io.shotcaller.vendor.ticket.opened.v1',
            data: {
              shotId: input.shotId,
              ticketId: input.ticketId,
              workflowId: opened.workflowId,
              tracker: input.terms.tracker,
              vendors: input.terms.vendors,
              bidDeadline: opened.bidDeadline,
            },
          },
        ],
      });
      return { trackerRef, shotCancelled: !moved };
    },

    /**
     * What the shot's budget line has left for it: the line less every other shot's estimate at
     * completion. Tickets from before the `bids-in-other-currencies` patch ask this; newer ones ask `budgetCheck`.
     */
    async budgetRemaining(shotId: string, lineId: string): Promise<Money | undefined> {
      return (await remainingOf(shotId, lineId)).remaining;
    },

    /**
     * An award's budget check: what the line has left, and each bid priced in the line's currency (the
     * estimate's when the line is not configured) at the ledger's rates of today, the award's day.
     */
    async budgetCheck(
      shotId: string,
      lineId: string,
      estimateCurrency: string,
      bids: Array<{ bidId: string; amount: Money }>,
    ): Promise<BudgetCheck> {
      const [{ line, remaining }, held] = await Promise.all([remainingOf(shotId, lineId), budget.fxRates()]);
      const currency = line?.amount.currency ?? estimateCurrency;
      const rates = new FxRates(held);
      const at = clock().toISOString();
      const price = ({ bidId, amount }: { bidId: string; amount: Money }): BidPrice => {
        try {
          const converted = rates.convert(amount, currency, at);
          return 'missing' in converted
            ? { bidId, missing: converted.missing }
            : { bidId, amount: { amountMinor: converted.amountMinor, currency } };
        } catch (error) {
          if (error instanceof AmountTooLarge) return { bidId, tooLarge: true };
          throw error;
        }
      };
      return {
        currency,
        date: at.slice(0, 10),
        ...(remaining ? { remaining } : {}),
        prices: bids.map(price),
      };
    },

    async updateTracker(tracker: string, trackerRef: string, change: TrackerChange): Promise<void> {
      await trackerOf(tracker).update(trackerRef, change);
    },
  };
}

export type TicketActivities = ReturnType<typeof createTicketActivities>;
export type { TicketState };
