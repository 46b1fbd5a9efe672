import { errorMessage } from '@shotcaller/contracts/error-message';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api';
import { Table } from '../components';

interface Group {
  key: string;
  shots: number;
  meanErrorPercent: number;
  medianErrorPercent: number;
  p10ErrorPercent: number;
  p90ErrorPercent: number;
  stdDevPercent: number;
}
interface Accuracy {
  settledShots: number;
  leftOut: number;
  by: Record<'route' | 'category' | 'complexity' | 'provider' | 'vendor', Group[]>;
  overTime: Array<Group & { period: string }>;
  rateCardCorrection: {
    suggestions: Array<{ path: string; shots: number; factor: number; before: string; after: string }>;
    rateCards: string | null;
  };
}

const pct = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(1)}%`;

function GroupTable({ label, groups }: { label: string; groups: Group[] }) {
  return (
    <Table
      testId={`accuracy-${label}`}
      head={[label, 'shots', 'mean error', 'median', 'p10 – p90', 'std dev']}
      rows={groups.map((g) => ({
        key: g.key,
        cells: [
          g.key,
          g.shots,
          pct(g.meanErrorPercent),
          pct(g.medianErrorPercent),
          `${pct(g.p10ErrorPercent)} – ${pct(g.p90ErrorPercent)}`,
          `${g.stdDevPercent.toFixed(1)}%`,
        ],
      }))}
    />
  );
}

/** How far the estimates were from what settled shots cost, and the rate-card correction they suggest. */
export function AccuracyPanel({ api, show, version }: { api: Api; show: string; version: number }) {
  const [accuracy, setAccuracy] = useState<Accuracy>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    void api
      .get<Accuracy>(`/v1/budgets/accuracy?show=${encodeURIComponent(show)}`)
      .then((a) => {
        setAccuracy(a);
        setError(undefined);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [show, version]);
  if (error) return <p class="error">{error}</p>;
  if (!accuracy) return <p>Loading…</p>;
  if (accuracy.settledShots === 0)
    return <p class="empty">No settled shot yet: accuracy starts with the first approval.</p>;
  const { suggestions, rateCards } = accuracy.rateCardCorrection;
  return (
    <div data-testid="estimate-accuracy">
      <p>
        {accuracy.settledShots} settled shots ({accuracy.leftOut} left out: a cost with no exchange rate, or
        no estimate). Error = (actual − estimate) / estimate: positive cost more than estimated.
      </p>
      {(['route', 'category', 'complexity', 'provider', 'vendor'] as const).map((by) =>
        accuracy.by[by].length ? <GroupTable key={by} label={by} groups={accuracy.by[by]} /> : null,
      )}
      <GroupTable label="period" groups={accuracy.overTime.map((g) => ({ ...g, key: g.period }))} />
      {suggestions.length === 0 ? (
        <p class="empty">No rate-card correction suggested.</p>
      ) : (
        <>
          <h3>Suggested rate-card correction</h3>
          <Table
            testId="rate-card-correction"
            head={['rate', 'shots', 'factor', 'now', 'suggested']}
            rows={suggestions.map((s) => ({
              key: s.path,
              cells: [s.path, s.shots, `×${s.factor}`, s.before, s.after],
            }))}
          />
          {rateCards && (
            <details>
              <summary>
                Corrected rate cards (paste into What-if → rate cards to replay a policy with them)
              </summary>
              <pre>{rateCards}</pre>
            </details>
          )}
        </>
      )}
    </div>
  );
}
