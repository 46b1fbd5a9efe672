import { errorMessage } from '@shotcaller/contracts/error-message';
import { useEffect, useState } from 'preact/hooks';
import { type Api, when } from '../api';
import { ErrorNote, Table } from '../components';
import type { TurnoverReport } from '../types';

type Entry = TurnoverReport['entries'][number];

function change(e: Entry): string {
  if (e.change !== 'lengthened' && e.change !== 'shortened') return e.change;
  const handles =
    e.withinHandles === undefined ? '' : e.withinHandles ? ', within handles' : ', beyond handles';
  return `${e.change} ${e.frames} f${handles}`;
}

/**
 * The latest editorial turnover of a show, as its report: what the re-cut changed, shot by shot, and
 * what was done about it. `refresh` changes when the live feed says something happened.
 */
export function TurnoverPanel({ api, show, refresh }: { api: Api; show: string; refresh: number }) {
  const [report, setReport] = useState<TurnoverReport | null | undefined>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let current = true;
    api
      .get<{ turnovers: TurnoverReport[] }>(`/v1/turnovers?${new URLSearchParams({ show, limit: '1' })}`)
      .then(({ turnovers }) => {
        if (!current) return;
        setReport(turnovers[0] ?? null);
        setError(undefined);
      })
      .catch((e: unknown) => current && setError(errorMessage(e)));
    return () => {
      current = false;
    };
  }, [api, show, refresh]);

  if (error) return <ErrorNote error={error} />;
  if (report === undefined) return null;
  if (report === null) return <p class="empty">No turnover of {show} yet.</p>;
  return (
    <details class="turnover" open data-testid="turnover-report">
      <summary>
        Latest turnover: <strong>{report.file}</strong> ({report.cut}, {report.rate} fps
        {report.dropFrame ? ' DF' : ''}), {when(report.at)} by {report.by}
      </summary>
      <Table
        head={['event', 'shot', 'change', 'frames', 'source', 'action', 'why']}
        rows={report.entries.map((e, i) => ({
          key: `${i}`,
          class: ['', '', `change-${e.change}`],
          cells: [
            e.event ?? '',
            e.shotId ? <a href={`#/shots/${e.shotId}`}>{`${e.sequence}_${e.shot}`}</a> : e.clip,
            change(e),
            e.frameRange ? `${e.frameRange.start}–${e.frameRange.end}` : '',
            e.sourceIn ? `${e.sourceIn}–${e.sourceOut}` : '',
            e.action,
            e.message ?? '',
          ],
        }))}
      />
    </details>
  );
}
