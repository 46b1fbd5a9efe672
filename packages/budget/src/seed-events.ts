import { createHash } from 'node:crypto';
import { type FxRate, makeEvent } from '@shotcaller/contracts';
import type { EventLog } from '@shotcaller/events';
import type { BudgetLine } from './budget-lines';

/** Appends budget-line events from a parsed budget-lines file (an accountant's YAML). */
export async function seedBudgetLines(
  log: EventLog,
  lines: readonly BudgetLine[],
  by: string,
  source: string,
): Promise<void> {
  await log.appendMany(
    lines.map((l) =>
      makeEvent(
        'io.shotcaller.budget.line.configured.v1',
        {
          lineId: l.id,
          show: l.show,
          ...(l.episode ? { episode: l.episode } : {}),
          ...(l.sequence ? { sequence: l.sequence } : {}),
          amount: l.amount,
          thresholdsPercent: l.thresholdsPercent,
          by,
        },
        // The id is the line's content: seeding the same file again appends nothing.
        {
          source,
          correlationId: l.id,
          show: l.show,
          id: `budget-line-${l.id}-${createHash('sha256').update(JSON.stringify(l)).digest('hex').slice(0, 16)}`,
        },
      ),
    ),
  );
}

/** Appends the rates of a rates file as one event; the id is the rates' content, so the same file twice appends nothing. */
export async function seedFxRates(
  log: EventLog,
  rates: readonly FxRate[],
  name: string,
  source: string,
): Promise<void> {
  const digest = createHash('sha256').update(JSON.stringify(rates)).digest('hex').slice(0, 24);
  await log.append(
    makeEvent(
      'io.shotcaller.budget.fx-rates.recorded.v1',
      { rates: [...rates], source: name, by: 'budget', reason: '' },
      { source, correlationId: 'fx-rates', id: `fx-rates-${digest}` },
    ),
  );
}
