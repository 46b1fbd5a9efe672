import type {
  LabourShot,
  RecordedEstimate,
  RouteEstimate,
  RoutingDecision,
  ShotcallerEvent,
  ShotRequest,
} from '@shotcaller/contracts';
import { frameCount } from '@shotcaller/contracts';
import { isoWeek } from './iso-week';

/** One shot's story as far as labour goes, folded from its events in log order. */
interface ShotState {
  shotId: string;
  request?: ShotRequest;
  cancelled: boolean;
  held: boolean;
  heldReason: string;
  /** The latest routing recorded, whichever route; its estimates are the figures used. */
  routing?: { at: string; decision: RoutingDecision };
  /** The route the shot's work is on: set by routing, and by a reroute away from AI at once. */
  route?: 'genai' | 'vendor';
  wasAtVendor: boolean;
  previouslyAtVendor: boolean;
  returned: LabourShot['returned'];
  sideAt?: string;
  artistHours: number;
  hasActual: boolean;
}

export interface ShotFold {
  shots: LabourShot[];
  cancelled: ShotRequest[];
  notYetRouted: ShotRequest[];
}

/** An estimate as the report carries it: minor units, with the labour part when the decision recorded one. */
export const recordedEstimate = (e: RouteEstimate): RecordedEstimate => ({
  route: e.route,
  cost: e.cost.amountMinor,
  turnaroundHours: e.turnaroundHours,
  basis: e.basis,
  artistCost: e.labour?.artistCost.amountMinor ?? null,
  artistDays: e.labour?.artistDays ?? null,
  labourBasis: e.labour?.basis ?? null,
});

function apply(s: ShotState, e: ShotcallerEvent): void {
  switch (e.type) {
    case 'io.shotcaller.shot.submitted.v1':
    case 'io.shotcaller.shot.revised.v1':
      s.request = e.data.request;
      return;
    case 'io.shotcaller.shot.routed.v1': {
      const route = e.data.decision.route;
      if (route === 'genai') {
        if (s.wasAtVendor) s.previouslyAtVendor = true;
        s.returned = null;
      } else s.wasAtVendor = true;
      s.routing = { at: e.time, decision: e.data.decision };
      s.route = route;
      s.held = false;
      s.sideAt = e.time;
      return;
    }
    case 'io.shotcaller.shot.held.v1':
      s.held = true;
      s.heldReason = e.data.reason;
      s.sideAt = e.time;
      return;
    case 'io.shotcaller.shot.released.v1':
      s.held = false;
      return;
    case 'io.shotcaller.shot.rerouted.v1': {
      if (e.data.from !== 'genai' || e.data.to !== 'vendor') return;
      // Work taken back from AI is the vendor's from this moment, before the router has priced it again.
      s.returned = s.held
        ? { at: e.time, cause: 'held', reason: `${s.heldReason}; ${e.data.reason}` }
        : { at: e.time, cause: e.data.cause, reason: e.data.reason };
      s.route = 'vendor';
      s.wasAtVendor = true;
      s.held = false;
      s.sideAt = e.time;
      return;
    }
    case 'io.shotcaller.shot.cancelled.v1':
      s.cancelled = true;
      return;
    case 'io.shotcaller.genai.artist-time.recorded.v1':
      s.artistHours += e.data.hours;
      s.hasActual = true;
      return;
    default:
      return;
  }
}

const shotIdOf = (e: ShotcallerEvent): string | undefined => {
  const id = (e.data as { shotId?: unknown }).shotId;
  return typeof id === 'string' ? id : undefined;
};

/** Folds events (each shot's own in log order) into where each shot's work stood at the end. */
export function foldShots(events: Iterable<ShotcallerEvent>): ShotFold {
  const byId = new Map<string, ShotState>();
  for (const e of events) {
    const shotId = shotIdOf(e);
    if (!shotId) continue;
    let s = byId.get(shotId);
    if (!s) {
      s = {
        shotId,
        cancelled: false,
        held: false,
        heldReason: '',
        wasAtVendor: false,
        previouslyAtVendor: false,
        returned: null,
        artistHours: 0,
        hasActual: false,
      };
      byId.set(shotId, s);
    }
    apply(s, e);
  }
  const out: ShotFold = { shots: [], cancelled: [], notYetRouted: [] };
  for (const s of byId.values()) {
    const r = s.request;
    // Events of a shot whose submission is outside what was read: nothing to attribute them to.
    if (!r) continue;
    if (s.cancelled) {
      out.cancelled.push(r);
      continue;
    }
    const side = s.held ? 'held' : s.route === 'genai' ? 'ai' : s.route === 'vendor' ? 'vendor' : undefined;
    if (!side || !s.sideAt || (side === 'ai' && !s.routing)) {
      out.notYetRouted.push(r);
      continue;
    }
    const estimates = s.routing?.decision.estimates;
    out.shots.push({
      shotId: s.shotId,
      show: r.show,
      shot: r.shot,
      ...(r.episode ? { episode: r.episode } : {}),
      sequence: r.sequence,
      category: r.category,
      complexity: r.complexity,
      frames: frameCount(r.frames),
      side,
      decidedAt: s.sideAt,
      week: isoWeek(s.sideAt),
      genai: estimates ? recordedEstimate(estimates.genai) : null,
      vendor: estimates ? recordedEstimate(estimates.vendor) : null,
      currency: estimates?.vendor.cost.currency ?? null,
      previouslyAtVendor: side === 'ai' && s.previouslyAtVendor,
      actualArtistHours: s.hasActual ? Math.round(s.artistHours * 100) / 100 : null,
      returned: side === 'vendor' ? s.returned : null,
    });
  }
  return out;
}

/**
 * The labour row of a shot under a decision that was not taken (a what-if's candidate routing): no
 * returns or artist hours are predicted, only where the work would go and what the estimates say.
 */
export function labourShotOf(
  shotId: string,
  request: ShotRequest,
  decision: RoutingDecision,
  options: { held: boolean; at: string },
): LabourShot {
  return {
    shotId,
    show: request.show,
    shot: request.shot,
    ...(request.episode ? { episode: request.episode } : {}),
    sequence: request.sequence,
    category: request.category,
    complexity: request.complexity,
    frames: frameCount(request.frames),
    side: options.held ? 'held' : decision.route === 'genai' ? 'ai' : 'vendor',
    decidedAt: options.at,
    week: isoWeek(options.at),
    genai: recordedEstimate(decision.estimates.genai),
    vendor: recordedEstimate(decision.estimates.vendor),
    currency: decision.estimates.vendor.cost.currency,
    previouslyAtVendor: false,
    actualArtistHours: null,
    returned: null,
  };
}
