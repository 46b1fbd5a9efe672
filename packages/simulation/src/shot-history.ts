import {
  CurrencyMismatch,
  type Money,
  type PrecheckResult,
  type RoutingDecision,
  type ShotcallerEvent,
  type ShotRequest,
} from '@shotcaller/contracts';

/** What actually happened to one shot, folded from its events: the baseline a what-if compares against. */
export interface ShotHistory {
  shotId: string;
  request: ShotRequest;
  submittedAt: string;
  decision?: RoutingDecision;
  precheck?: PrecheckResult;
  held: boolean;
  /** When the work first came back (AI output, or a vendor's first version). */
  deliveredAt?: string;
  approved: boolean;
  cancelled: boolean;
  /** Money actually spent: genai usage and vendor invoices. */
  actual?: Money;
}

const add = (a: Money | undefined, b: Money): Money => {
  if (!a) return { ...b };
  if (a.currency !== b.currency) throw new CurrencyMismatch(a.currency, b.currency);
  return { amountMinor: a.amountMinor + b.amountMinor, currency: a.currency };
};

/** Folds events (any order of shots, each shot's own in log order) into one history per submitted shot. */
export function foldHistories(events: Iterable<ShotcallerEvent>): ShotHistory[] {
  const byId = new Map<string, ShotHistory>();
  const pendingOf = new Map<string, ShotcallerEvent[]>();
  const apply = (h: ShotHistory, e: ShotcallerEvent) => {
    switch (e.type) {
      case 'io.shotcaller.shot.revised.v1':
        h.request = e.data.request;
        break;
      case 'io.shotcaller.shot.routed.v1':
        h.decision = e.data.decision;
        h.precheck = e.data.precheck;
        h.held = false;
        break;
      case 'io.shotcaller.shot.held.v1':
        h.held = true;
        break;
      case 'io.shotcaller.shot.released.v1':
        h.held = false;
        break;
      case 'io.shotcaller.shot.delivered.v1':
        h.deliveredAt ??= e.time;
        break;
      case 'io.shotcaller.shot.approved.v1':
        h.approved = true;
        break;
      case 'io.shotcaller.shot.cancelled.v1':
        h.cancelled = true;
        break;
      case 'io.shotcaller.genai.usage.recorded.v1':
      case 'io.shotcaller.genai.attempt.charged.v1':
        h.actual = add(h.actual, e.data.cost);
        break;
      case 'io.shotcaller.vendor.invoice.received.v1':
        h.actual = add(h.actual, e.data.amount);
        break;
      default:
        break;
    }
  };
  for (const e of events) {
    if (e.type === 'io.shotcaller.shot.submitted.v1') {
      const h: ShotHistory = {
        shotId: e.data.shotId,
        request: e.data.request,
        submittedAt: e.time,
        held: false,
        approved: false,
        cancelled: false,
      };
      byId.set(h.shotId, h);
      for (const p of pendingOf.get(h.shotId) ?? []) apply(h, p);
      pendingOf.delete(h.shotId);
      continue;
    }
    const shotId = (e.data as { shotId?: unknown }).shotId;
    if (typeof shotId !== 'string') continue;
    const h = byId.get(shotId);
    if (h) apply(h, e);
    else pendingOf.set(shotId, [...(pendingOf.get(shotId) ?? []), e]);
  }
  return [...byId.values()];
}
