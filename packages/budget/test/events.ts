import { makeEvent, type ShotcallerEvent } from '@shotcaller/contracts';
import { aShotRequest } from '@shotcaller/testkit';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

/** Where a planned shot lives and when; the default is show NTH, all in USD, on 2026-11-01. */
export interface PlanOptions {
  show?: string;
  lineId?: string;
  /** Shot ids are `<prefix><n>`. */
  prefix?: string;
  /** The vendor's currency and how many of its minor units an award or invoice of 1 USD cent takes. */
  vendor?: { currency: string; perCent: number };
  /** When the shot's events start. */
  start?: Date;
}

const estimate = (route: 'genai' | 'vendor', amountMinor: number) => ({
  route,
  cost: usd(amountMinor),
  turnaroundHours: 1,
  basis: 'test',
});

export interface PlannedShot {
  shotId: string;
  lineId: string;
  route: 'genai' | 'vendor';
  estimate: number;
  /** What the shot should show when all its events are in. */
  expected: { committed: number; actual: number; efc: number };
  events: ShotcallerEvent[];
}

/**
 * Shot `n`'s events, with the figures a cost report should show computed here by hand, independently
 * of the ledger code: genai shots reserve, use and maybe get approved; vendor shots are awarded, maybe
 * invoiced and approved; every seventh shot is cancelled after routing.
 */
export function plannedShot(n: number, options: PlanOptions = {}): PlannedShot {
  const show = options.show ?? 'NTH';
  const shotId = `${options.prefix ?? 'sh-'}${n}`;
  const lineId = options.lineId ?? (n % 2 === 0 ? 'NTH-EP01' : 'NTH-EP02');
  const start = options.start?.getTime() ?? Date.UTC(2026, 10, 1) + n * 60_000;
  const meta = (_shotId: string, _n: number, step: number, id: string) => ({
    source: '/test',
    correlationId: shotId,
    subject: shotId,
    show,
    time: new Date(start + step * 1000),
    id,
  });
  const vendorMoney = (cents: number) =>
    options.vendor
      ? { amountMinor: cents * options.vendor.perCent, currency: options.vendor.currency }
      : usd(cents);
  const route = n % 3 === 0 ? 'vendor' : 'genai';
  const est = 10_000 + n * 7;
  const events: ShotcallerEvent[] = [
    makeEvent(
      'io.shotcaller.shot.submitted.v1',
      {
        shotId,
        request: aShotRequest({
          show,
          budgetLine: lineId,
          episode: lineId.slice(4),
          shot: `S${n}`,
          idempotencyKey: `k${n}`,
        }),
        submittedBy: 'td',
      },
      meta(shotId, n, 0, `${shotId}-submitted`),
    ),
    makeEvent(
      'io.shotcaller.shot.routed.v1',
      {
        shotId,
        decision: {
          route,
          policyId: 'p',
          policyVersion: 'v',
          decidedBy: 'r',
          matchedRules: [],
          estimates: { genai: estimate('genai', est), vendor: estimate('vendor', est) },
          explanation: 'x',
        },
        precheck: { outcome: 'allow', findings: [], consentIds: [], approvalIds: [] },
      },
      meta(shotId, n, 1, `${shotId}-routed`),
    ),
  ];
  if (n % 7 === 0) {
    events.push(
      makeEvent(
        'io.shotcaller.shot.cancelled.v1',
        { shotId, by: 'td', reason: 'cut' },
        meta(shotId, n, 2, `${shotId}-cancelled`),
      ),
    );
    return { shotId, lineId, route, estimate: est, expected: { committed: 0, actual: 0, efc: 0 }, events };
  }
  const approved = n % 2 === 1;
  if (route === 'genai') {
    const used = 9_000 + (n % 13) * 300;
    events.push(
      makeEvent(
        'io.shotcaller.genai.task.started.v1',
        { shotId, taskId: `t${n}`, provider: 'local', model: 'm', reservation: usd(est) },
        meta(shotId, n, 2, `${shotId}-started`),
      ),
      makeEvent(
        'io.shotcaller.genai.usage.recorded.v1',
        { shotId, taskId: `t${n}`, provider: 'local', unit: 'cpu-second', quantity: 1, cost: usd(used) },
        meta(shotId, n, 3, `${shotId}-usage`),
      ),
      makeEvent(
        'io.shotcaller.genai.task.completed.v1',
        {
          shotId,
          taskId: `t${n}`,
          provider: 'local',
          outputs: [],
          manifestUri: 'm',
          manifestSha256: 'a'.repeat(64),
        },
        meta(shotId, n, 4, `${shotId}-completed`),
      ),
    );
    if (approved)
      events.push(
        makeEvent(
          'io.shotcaller.shot.approved.v1',
          { shotId, by: 'supe' },
          meta(shotId, n, 5, `${shotId}-approved`),
        ),
      );
    return {
      shotId,
      lineId,
      route,
      estimate: est,
      expected: { committed: 0, actual: used, efc: approved ? used : Math.max(est, used) },
      events,
    };
  }
  const award = est + 500;
  events.push(
    makeEvent(
      'io.shotcaller.vendor.ticket.awarded.v1',
      {
        shotId,
        ticketId: `k${n}`,
        bidId: `b${n}`,
        vendorId: 'v',
        amount: vendorMoney(award),
        dueAt: '2027-01-01T00:00:00Z',
        awardedBy: 'p',
      },
      meta(shotId, n, 2, `${shotId}-awarded`),
    ),
  );
  if (!approved)
    return {
      shotId,
      lineId,
      route,
      estimate: est,
      expected: { committed: award, actual: 0, efc: award },
      events,
    };
  const invoice = award + 120;
  events.push(
    makeEvent(
      'io.shotcaller.vendor.invoice.received.v1',
      { shotId, ticketId: `k${n}`, vendorId: 'v', invoiceId: `i${n}`, amount: vendorMoney(invoice) },
      meta(shotId, n, 3, `${shotId}-invoiced`),
    ),
    makeEvent(
      'io.shotcaller.shot.approved.v1',
      { shotId, by: 'supe' },
      meta(shotId, n, 4, `${shotId}-approved`),
    ),
  );
  return {
    shotId,
    lineId,
    route,
    estimate: est,
    expected: { committed: award, actual: invoice, efc: invoice },
    events,
  };
}
