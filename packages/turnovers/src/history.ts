import { makeEvent, type TurnoverReport } from '@shotcaller/contracts';
import type { EventLog } from '@shotcaller/events';

/** The log subject of a show's turnovers: its index lists them, oldest first, as the cut's history. */
export function turnoverSubject(show: string): string {
  return `turnovers:${show}`;
}

/** Appends the `turnover.imported` event; its id is the turnover's, so a retried append stores one. */
export async function recordTurnover(log: EventLog, report: TurnoverReport, source: string): Promise<void> {
  await log.append(
    makeEvent('io.shotcaller.turnover.imported.v1', report, {
      id: report.turnoverId,
      source,
      correlationId: report.turnoverId,
      subject: turnoverSubject(report.show),
      show: report.show,
      time: new Date(report.at),
    }),
  );
}

/** A show's turnover reports, newest first. */
export async function turnoverHistory(log: EventLog, show: string): Promise<TurnoverReport[]> {
  const out: TurnoverReport[] = [];
  for (const { event } of await log.bySubject(turnoverSubject(show)))
    if (event.type === 'io.shotcaller.turnover.imported.v1') out.push(event.data);
  return out.reverse();
}
