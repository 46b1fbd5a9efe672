import { ShotcallerError } from '@shotcaller/contracts';
import { Fact } from './facts';

/** A fact as the ledger keeps it, under the id of the event it came from. */
export interface StoredFact {
  eventId: string;
  fact: Fact;
}

/** A shot's stored facts that this version cannot read: a ledger written by another layout. */
export class LedgerUnreadable extends ShotcallerError {
  readonly code = 'ledger_unreadable';
  constructor(
    readonly shotId: string,
    readonly record: string,
  ) {
    super(
      `The budget ledger holds a fact of shot ${shotId} this version cannot read (${record.slice(0, 80)}): run \`shotcaller budget rebuild\``,
    );
  }
}

/*
 * A shot's facts are one string, a line of compact JSON per fact; a new fact is added at the end, so
 * what a writer read is a prefix of what it writes. Per fact: [event id, kind code, at, ...fields], with
 * - ids that start with the shot id (task and event ids mostly do) kept as [the rest];
 * - `at` as epoch milliseconds when that gives the same ISO string back, else the string;
 * - money as two fields, minor units then currency.
 */
type Json = string | number | [string];

const code = {
  submitted: 's',
  routed: 'r',
  reserved: 'v',
  'task-ended': 'e',
  usage: 'u',
  awarded: 'a',
  invoiced: 'i',
  approved: 'p',
  cancelled: 'c',
  reopened: 'o',
} as const satisfies Record<Fact['kind'], string>;
const kindOf = Object.fromEntries(Object.entries(code).map(([k, c]) => [c, k])) as Record<
  string,
  Fact['kind']
>;

const idIn = (shotId: string, id: string): Json => (id.startsWith(shotId) ? [id.slice(shotId.length)] : id);
const idOut = (shotId: string, v: unknown): unknown => (Array.isArray(v) ? shotId + v[0] : v);
const timeIn = (at: string): Json => {
  const ms = Date.parse(at);
  return Number.isFinite(ms) && new Date(ms).toISOString() === at ? ms : at;
};
const timeOut = (v: unknown): unknown => (typeof v === 'number' ? new Date(v).toISOString() : v);

/** One fact as a line of the shot's stored facts (newline included). */
export function encodeFact(shotId: string, eventId: string, fact: Fact): string {
  const head: Json[] = [idIn(shotId, eventId), code[fact.kind], timeIn(fact.at)];
  const rest: Json[] = (() => {
    switch (fact.kind) {
      case 'submitted': {
        // Then the episode ('' for none) and, once kept, category and complexity.
        const described = fact.category !== undefined;
        return [
          fact.show,
          fact.sequence,
          fact.shot,
          fact.lineId,
          fact.frames,
          ...(fact.episode === undefined && !described ? [] : [fact.episode ?? '']),
          ...(described ? [fact.category!, fact.complexity ?? ''] : []),
        ];
      }
      case 'routed':
        return [fact.route, fact.estimate.amountMinor, fact.estimate.currency];
      case 'reserved':
        return [idIn(shotId, fact.taskId), fact.amount.amountMinor, fact.amount.currency];
      case 'usage': {
        // Then the provider ('' when unknown) and, for an attempt that delivered nothing, how it ended.
        const failed = fact.outcome !== 'completed';
        const tail: Json[] =
          fact.provider !== undefined || failed
            ? [fact.provider ?? '', ...(failed ? [fact.outcome] : [])]
            : [];
        return [idIn(shotId, fact.taskId), fact.amount.amountMinor, fact.amount.currency, ...tail];
      }
      case 'task-ended':
        return [idIn(shotId, fact.taskId)];
      case 'awarded':
        return [
          fact.amount.amountMinor,
          fact.amount.currency,
          ...(fact.vendorId === undefined ? [] : [fact.vendorId]),
        ];
      case 'invoiced':
        return [idIn(shotId, fact.invoiceId), fact.amount.amountMinor, fact.amount.currency];
      case 'approved':
      case 'cancelled':
      case 'reopened':
        return [];
    }
  })();
  // JSON escapes newlines inside strings, so a fact never spans two lines.
  return `${JSON.stringify([...head, ...rest])}\n`;
}

function decodeOne(shotId: string, line: string): StoredFact {
  const parsed: unknown = JSON.parse(line);
  if (!Array.isArray(parsed)) throw new LedgerUnreadable(shotId, line);
  const [id, c, at, ...f] = parsed as unknown[];
  const kind = kindOf[String(c)];
  const money = (i: number) => ({ amountMinor: f[i], currency: f[i + 1] });
  const fields: Record<string, unknown> = (() => {
    switch (kind) {
      case 'submitted':
        return {
          show: f[0],
          sequence: f[1],
          shot: f[2],
          lineId: f[3],
          frames: f[4],
          ...(f[5] ? { episode: f[5] } : {}),
          ...(f[6] ? { category: f[6] } : {}),
          ...(f[7] ? { complexity: f[7] } : {}),
        };
      case 'routed':
        return { route: f[0], estimate: money(1) };
      case 'reserved':
        return { taskId: idOut(shotId, f[0]), amount: money(1) };
      case 'usage':
        return {
          taskId: idOut(shotId, f[0]),
          amount: money(1),
          ...(f[3] ? { provider: f[3] } : {}),
          ...(f[4] ? { outcome: f[4] } : {}),
        };
      case 'task-ended':
        return { taskId: idOut(shotId, f[0]) };
      case 'awarded':
        return { amount: money(0), ...(f[2] ? { vendorId: f[2] } : {}) };
      case 'invoiced':
        return { invoiceId: idOut(shotId, f[0]), amount: money(1) };
      case 'approved':
      case 'cancelled':
      case 'reopened':
        return {};
      default:
        throw new LedgerUnreadable(shotId, line);
    }
  })();
  const fact = Fact.safeParse({ kind, at: timeOut(at), ...fields });
  const eventId = idOut(shotId, id);
  if (!fact.success || typeof eventId !== 'string') throw new LedgerUnreadable(shotId, line);
  return { eventId, fact: fact.data };
}

/** A shot's stored facts, in the order they were stored. */
export function decodeFacts(shotId: string, stored: string): StoredFact[] {
  const out: StoredFact[] = [];
  for (const line of stored.split('\n')) {
    if (line === '') continue;
    try {
      out.push(decodeOne(shotId, line));
    } catch (error) {
      if (error instanceof LedgerUnreadable) throw error;
      throw new LedgerUnreadable(shotId, line);
    }
  }
  return out;
}
