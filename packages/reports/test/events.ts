import {
  type EventDataInput,
  type EventType,
  makeEvent,
  type Route,
  type RoutingDecision,
  type ShotcallerEvent,
  type ShotRequest,
} from '@shotcaller/contracts';
import { estimateRoutes, parseRateCards, type RateCards } from '@shotcaller/routing';

/** Rate cards for the tests; `vendorRate` and `dayRate` are what a test may change between routings. */
export const rates = (
  o: { vendorRate?: string; dayRate?: string | null; currency?: string } = {},
): RateCards =>
  parseRateCards(
    `currency: ${o.currency ?? 'USD'}
genai:
  defaultProvider: local
  providers:
    local:
      pricing: { kind: per-frame, pricePerFrame: "2.00" }
      overheadPerShot: "480.00"
      turnaround: { setupHours: 6, secondsPerFrame: 40 }
vendor:
  ratePerFrame: { default: "${o.vendorRate ?? '100.00'}" }
  complexity: { simple: "0.7", standard: "1", complex: "1.5", hero: "2.2" }
  overheadPerShot: "650.00"
  turnaroundDays: { default: 10, destruction: 18 }
${o.dayRate === null ? '' : `labour: { artistDayRate: "${o.dayRate ?? '800.00'}" }`}`,
    'test cards',
  );

/** A decision as the router records it, with the estimates of `cards` at that moment. */
export function decision(request: ShotRequest, route: Route, cards: RateCards = rates()): RoutingDecision {
  return {
    route,
    ...(route === 'genai' ? { provider: 'local' } : {}),
    policyId: 'test',
    policyVersion: 'v1',
    decidedBy: route === 'genai' ? 'fx-to-ai' : 'default',
    matchedRules: [],
    estimates: estimateRoutes(request, cards),
    explanation: 'test',
  };
}

/** Builds one shot's events in order, each a day after the last unless told when. */
export function story(shotId: string, request: ShotRequest, start = '2026-11-02T09:00:00Z') {
  const events: ShotcallerEvent[] = [];
  let at = Date.parse(start);
  const add = <T extends EventType>(type: T, data: EventDataInput<T>, when?: string) => {
    at = when ? Date.parse(when) : at + 86_400_000;
    events.push(
      makeEvent(type, data, {
        source: '/test',
        correlationId: shotId,
        subject: shotId,
        show: request.show,
        time: new Date(at),
      }),
    );
  };
  events.push(
    makeEvent(
      'io.shotcaller.shot.submitted.v1',
      { shotId, request, submittedBy: 'td' },
      { source: '/test', correlationId: shotId, show: request.show, time: new Date(at) },
    ),
  );
  const api = {
    events,
    routed(route: Route, cards?: RateCards, when?: string) {
      add(
        'io.shotcaller.shot.routed.v1',
        {
          shotId,
          decision: decision(request, route, cards),
          precheck: { outcome: 'allow', findings: [], consentIds: [] },
        },
        when,
      );
      return api;
    },
    held(reason: string, when?: string) {
      add(
        'io.shotcaller.shot.held.v1',
        { shotId, precheck: { outcome: 'hold', findings: [], consentIds: [] }, reason },
        when,
      );
      return api;
    },
    rejected(note: string, when?: string) {
      add('io.shotcaller.shot.rejected.v1', { shotId, by: 'sup', note }, when);
      return api;
    },
    rerouted(
      from: Route,
      to: Route,
      cause: EventDataInput<'io.shotcaller.shot.rerouted.v1'>['cause'],
      reason: string,
      when?: string,
    ) {
      add('io.shotcaller.shot.rerouted.v1', { shotId, from, to, cause, reason }, when);
      return api;
    },
    artistTime(hours: number, when?: string) {
      add('io.shotcaller.genai.artist-time.recorded.v1', { shotId, hours, by: 'sup' }, when);
      return api;
    },
    cancelled(when?: string) {
      add('io.shotcaller.shot.cancelled.v1', { shotId, by: 'td', reason: 'cut from the edit' }, when);
      return api;
    },
  };
  return api;
}
