import type { BudgetLine } from '@shotcaller/budget';
import type { ProviderProfile, Rule } from '@shotcaller/compliance';
import type {
  SimulationComparison as Comparison,
  SimulatedOutcome as Outcome,
  SimulatedShot,
  SimulationReport,
} from '@shotcaller/contracts';
import { type ApprovalRecord, type ConsentRecord, CurrencyMismatch, type Money } from '@shotcaller/contracts';
import { type LabourShot, labourShotOf, sumFigures } from '@shotcaller/reports';
import { decideShot, type RateCards, type RoutingPolicy } from '@shotcaller/routing';
import type { z } from 'zod';
import type { ShotHistory } from './shot-history';
import { turnaroundHistory } from './turnaround';

export interface SimulationInput {
  show: string;
  scope?: { episode?: string; sequence?: string };
  /** Every shot of the show as recorded; shots outside the scope still count on their budget lines. */
  histories: readonly ShotHistory[];
  candidate: { policy: RoutingPolicy; rates: RateCards };
  /** What is on file, as of the snapshot. */
  consents: readonly ConsentRecord[];
  approvals: readonly ApprovalRecord[];
  providers: Readonly<Record<string, ProviderProfile>>;
  rules?: readonly Rule[];
  lines: readonly BudgetLine[];
  snapshot: { upTo: string; at: Date };
  /** Each shot's labour row as the labour report folds it from the log; derived from the histories when absent. */
  labour?: readonly LabourShot[];
}

type OutcomeT = z.infer<typeof Outcome>;

const inScope = (h: ShotHistory, scope: SimulationInput['scope']) =>
  (!scope?.episode || h.request.episode === scope.episode) &&
  (!scope?.sequence || h.request.sequence === scope.sequence);

/**
 * Replays recorded shots under a candidate policy and rate cards, and sets the result beside what
 * happened. A pure computation over a snapshot: nothing live is read or written here. Where a shot's
 * actual cost is known and the candidate keeps its route, the actual is used; anywhere else the
 * candidate's estimate, and each figure says which it is.
 */
export function simulate(input: SimulationInput): SimulationReport {
  const now = input.snapshot.at;
  const turnaround = turnaroundHistory(input.histories);
  let currency: string | undefined;
  const money = (m: Money) => {
    currency ??= m.currency;
    if (m.currency !== currency) throw new CurrencyMismatch(currency, m.currency);
    return m.amountMinor;
  };

  const baselineOf = (h: ShotHistory): OutcomeT => {
    const d = h.decision;
    // Held before any routing was recorded (the hold event names no route), or not routed yet.
    if (!d) {
      const kind = h.held ? 'held' : 'unrouted';
      const zero = { amountMinor: 0, currency: input.candidate.rates.currency };
      return outcome(kind, undefined, zero, kind, turnaround.of('', '', undefined));
    }
    const route = h.held ? 'held' : d.route;
    const ta = turnaround.of(d.route, h.request.category, d.estimates[d.route].turnaroundHours);
    if (route === 'held')
      return outcome('held', d, { amountMinor: 0, currency: d.estimates[d.route].cost.currency }, 'held', ta);
    const known = h.actual && (h.approved || h.deliveredAt);
    return known
      ? outcome(route, d, h.actual!, 'actual', ta)
      : outcome(route, d, d.estimates[d.route].cost, 'estimate', ta);
  };

  const shots: SimulatedShot[] = [];
  const skipped: SimulationReport['skipped'] = [];
  const candidateFigures = new Map<string, number>();
  const baselineFigures = new Map<string, number>();
  const newHolds: SimulationReport['compliance']['newHolds'] = [];
  const labourOf = new Map((input.labour ?? []).map((l) => [l.shotId, l]));
  const labourActual: LabourShot[] = [];
  const labourCandidate: LabourShot[] = [];
  for (const h of input.histories) {
    if (h.cancelled) {
      if (inScope(h, input.scope)) skipped.push({ shotId: h.shotId, reason: 'cancelled' });
      continue;
    }
    const actual = baselineOf(h);
    if (actual.basis !== 'unrouted') baselineFigures.set(h.shotId, money(actual.cost));
    if (!inScope(h, input.scope)) {
      if (actual.basis !== 'unrouted') candidateFigures.set(h.shotId, actual.cost.amountMinor);
      continue;
    }
    const performerIds = new Set(h.request.performers.map((p) => p.id));
    const { decision, precheck } = decideShot({
      request: h.request,
      shotId: h.shotId,
      policy: input.candidate.policy,
      rates: input.candidate.rates,
      consents: input.consents.filter((c) => performerIds.has(c.performerId)),
      approvals: input.approvals.filter((a) => a.show === h.request.show),
      providers: input.providers,
      ...(input.rules ? { rules: input.rules } : {}),
      now,
    });
    const held = precheck.outcome === 'hold';
    const ta = turnaround.of(
      decision.route,
      h.request.category,
      decision.estimates[decision.route].turnaroundHours,
    );
    const estimate = decision.estimates[decision.route].cost;
    const candidate: OutcomeT = held
      ? outcome('held', decision, { amountMinor: 0, currency: estimate.currency }, 'held', ta)
      : actual.basis === 'actual' && actual.route === decision.route
        ? outcome(decision.route, decision, actual.cost, 'actual', ta)
        : outcome(decision.route, decision, estimate, 'estimate', ta);
    candidateFigures.set(h.shotId, money(candidate.cost));
    const actualLabour = input.labour
      ? labourOf.get(h.shotId)
      : h.decision && labourShotOf(h.shotId, h.request, h.decision, { held: h.held, at: h.submittedAt });
    const candidateLabour = labourShotOf(h.shotId, h.request, decision, { held, at: now.toISOString() });
    // Artist hours already spent on AI work stay spent if the candidate keeps the shot on AI.
    if (actualLabour?.side === 'ai' && candidateLabour.side === 'ai')
      candidateLabour.actualArtistHours = actualLabour.actualArtistHours;
    if (actualLabour) labourActual.push(actualLabour);
    labourCandidate.push(candidateLabour);
    if (held && actual.route !== 'held') {
      const blocking = precheck.findings.filter(
        (f) => !f.satisfied && f.action !== 'record' && f.action !== 'disclose',
      );
      newHolds.push({
        shotId: h.shotId,
        shot: h.request.shot,
        ruleIds: blocking.map((f) => f.ruleId),
        missing: blocking.flatMap((f) => f.missing),
      });
    }
    shots.push({
      shotId: h.shotId,
      shot: h.request.shot,
      ...(h.request.episode ? { episode: h.request.episode } : {}),
      sequence: h.request.sequence,
      category: h.request.category,
      actual,
      candidate,
      routeChanged: actual.route !== candidate.route,
    });
  }
  shots.sort((a, b) => a.sequence.localeCompare(b.sequence) || a.shot.localeCompare(b.shot));

  const compare = (
    key: string,
    group: readonly SimulatedShot[],
    inGroup = (_: OutcomeT) => true,
  ): Comparison => {
    const side = (pick: (s: SimulatedShot) => OutcomeT) => {
      const mine = group.map(pick).filter(inGroup);
      return { shots: mine.length, cost: mine.reduce((n, o) => n + o.cost.amountMinor, 0) };
    };
    const a = side((s) => s.actual);
    const c = side((s) => s.candidate);
    return { key, actual: a, candidate: c, difference: c.cost - a.cost };
  };
  const sequences = [...new Set(shots.map((s) => `${s.episode ?? '-'}/${s.sequence}`))].sort();

  const budgetLines = input.lines
    .filter((l) => l.show === input.show)
    .map((line) => {
      const ids = input.histories
        .filter((h) => h.request.budgetLine === line.id && !h.cancelled)
        .map((h) => h.shotId);
      if (ids.length > 0) money(line.amount);
      const sum = (m: Map<string, number>) => ids.reduce((n, id) => n + (m.get(id) ?? 0), 0);
      const actual = sum(baselineFigures);
      const candidate = sum(candidateFigures);
      const over = (value: number, t: number) => value * 100 >= t * line.amount.amountMinor;
      return {
        lineId: line.id,
        budget: line.amount.amountMinor,
        actual,
        candidate,
        wouldCross: line.thresholdsPercent.filter((t) => over(candidate, t) && !over(actual, t)),
        wouldClear: line.thresholdsPercent.filter((t) => over(actual, t) && !over(candidate, t)),
      };
    });

  return {
    show: input.show,
    scope: {
      ...(input.scope?.episode ? { episode: input.scope.episode } : {}),
      ...(input.scope?.sequence ? { sequence: input.scope.sequence } : {}),
    },
    snapshot: { upTo: input.snapshot.upTo, at: now.toISOString() },
    candidatePolicy: { id: input.candidate.policy.id, version: input.candidate.policy.policyVersion },
    currency: currency ?? '',
    shots,
    skipped,
    totals: compare('total', shots),
    bySequence: sequences.map((k) =>
      compare(
        k,
        shots.filter((s) => `${s.episode ?? '-'}/${s.sequence}` === k),
      ),
    ),
    byRoute: (['genai', 'vendor', 'held'] as const).map((route) =>
      compare(route, shots, (o) => o.route === route),
    ),
    budgetLines,
    compliance: {
      actualHolds: shots.filter((s) => s.actual.route === 'held').length,
      candidateHolds: shots.filter((s) => s.candidate.route === 'held').length,
      newHolds,
    },
    labour: {
      actual: sumFigures('actual', labourActual),
      candidate: sumFigures('candidate', labourCandidate),
      byCategory: [...new Set(labourCandidate.map((l) => l.category))].sort().map((key) => ({
        key,
        actual: sumFigures(
          key,
          labourActual.filter((l) => l.category === key),
        ),
        candidate: sumFigures(
          key,
          labourCandidate.filter((l) => l.category === key),
        ),
      })),
    },
    turnaroundHistory: turnaround.table(),
  };
}

function outcome(
  route: OutcomeT['route'],
  decision: { provider?: string; decidedBy: string; matchedRules: OutcomeT['rules'] } | undefined,
  cost: Money,
  basis: OutcomeT['basis'],
  turnaround: OutcomeT['turnaround'],
): OutcomeT {
  return {
    route,
    ...(decision?.provider && route === 'genai' ? { provider: decision.provider } : {}),
    ...(decision ? { decidedBy: decision.decidedBy } : {}),
    rules: decision?.matchedRules ?? [],
    cost,
    basis,
    turnaround,
  };
}
