import type {
  ApprovalKind,
  ApprovalRecord,
  ConsentRecord,
  DigitalUse,
  Performer,
} from '@shotcaller/contracts';

/** Whether a consent's territories cover a release territory: `WW` covers all, `US` covers `US-CA`. */
export function territoryCovered(granted: readonly string[], territory: string): boolean {
  if (granted.includes('WW') || granted.includes(territory)) return true;
  const country = territory.split('-')[0]!;
  return territory.includes('-') && granted.includes(country);
}

/** The digital uses a performer's treatment in the shot needs consent for. */
export function usesNeeded(performer: Performer): DigitalUse[] {
  if (performer.kind === 'synthetic') return [];
  if (performer.likeness === 'altered') return ['digital-alteration'];
  if (performer.likeness === 'generated')
    return ['employment-based-replica', 'independently-created-replica'];
  return [];
}

export interface ConsentQuery {
  performer: Performer;
  show: string;
  territories: readonly string[];
  now: Date;
}

/**
 * The consents on file that cover this performer for this show, every release territory, and now, for
 * one of the uses their treatment needs. Why each other consent does not count goes into `rejected`.
 */
export function matchingConsents(
  consents: readonly ConsentRecord[],
  q: ConsentQuery,
): { covering: ConsentRecord[]; rejected: string[] } {
  const needed = usesNeeded(q.performer);
  const covering: ConsentRecord[] = [];
  const rejected: string[] = [];
  for (const c of consents.filter((c) => c.performerId === q.performer.id)) {
    if (!c.shows.includes(q.show)) rejected.push(`${c.id} is for ${c.shows.join(', ')}, not ${q.show}`);
    else if (!c.uses.some((u) => needed.includes(u)))
      rejected.push(`${c.id} covers ${c.uses.join(', ')}, not ${needed.join(' or ')}`);
    else if (Date.parse(c.validFrom) > q.now.getTime())
      rejected.push(`${c.id} is valid only from ${c.validFrom}`);
    else if (c.validUntil && Date.parse(c.validUntil) <= q.now.getTime())
      rejected.push(`${c.id} expired on ${c.validUntil}`);
    else {
      const uncovered = q.territories.filter((t) => !territoryCovered(c.territories, t));
      if (uncovered.length > 0) rejected.push(`${c.id} does not cover ${uncovered.join(', ')}`);
      else covering.push(c);
    }
  }
  return { covering, rejected };
}

/** Approvals of a kind for the show, for this shot or for the whole show. */
export function approvalsOf(
  approvals: readonly ApprovalRecord[],
  kind: ApprovalKind,
  show: string,
  shotId?: string,
): ApprovalRecord[] {
  return approvals.filter(
    (a) => a.kind === kind && a.show === show && (a.shotId === undefined || a.shotId === shotId),
  );
}
