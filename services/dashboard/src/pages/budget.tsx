import type {
  RouteComparison as Comparison,
  BudgetHistory as History,
  ProviderSpend,
  BudgetView as Rollup,
  BudgetRollupRow as Row,
} from '@shotcaller/contracts';
import { errorMessage } from '@shotcaller/contracts/error-message';
import { useEffect, useState } from 'preact/hooks';
import { type Api, money, when } from '../api';
import { ErrorNote, ShowField, Table } from '../components';
import { debounce, follow } from '../live';
import { AccuracyPanel } from './budget-accuracy';

function RollupTable({ rows, label }: { rows: Row[]; label: string }) {
  return (
    <Table
      testId={`rollup-${label}`}
      head={[label, 'shots', 'budget', 'estimate', 'committed', 'actual', 'EFC', 'variance']}
      rows={rows.map((r) => ({
        key: r.key,
        cells: [
          r.key,
          r.shots,
          money(r.budget, r.currency),
          money(r.estimate, r.currency),
          money(r.committed, r.currency),
          <span key="actual" data-testid={`actual-${r.key}`}>
            {money(r.actual, r.currency)}
          </span>,
          money(r.efc, r.currency),
          money(r.variance, r.currency),
        ],
        class: ['', '', '', '', '', '', '', r.variance !== undefined && r.variance < 0 ? 'over' : ''],
      }))}
    />
  );
}

/** Cumulative actual spend over time, as a plain SVG line. */
function BurnChart({ burn }: { burn: History['burn'] }) {
  if (burn.length < 2) return <p class="empty">The burn chart starts once money has been spent twice.</p>;
  const w = 640;
  const h = 180;
  const t0 = Date.parse(burn[0]!.at);
  const t1 = Math.max(Date.parse(burn.at(-1)!.at), t0 + 1);
  const max = Math.max(...burn.map((p) => p.actual), 1);
  const points = burn
    .map((p) => `${((Date.parse(p.at) - t0) / (t1 - t0)) * w},${h - (p.actual / max) * h}`)
    .join(' ');
  return (
    <figure>
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label="Cumulative actual spend over time" class="chart">
        <polyline points={points} fill="none" stroke="currentColor" stroke-width="2" />
      </svg>
      <figcaption>
        {when(burn[0]!.at)} → {when(burn.at(-1)!.at)}: {money(burn.at(-1)!.actual, burn.at(-1)!.currency)}{' '}
        spent
      </figcaption>
    </figure>
  );
}

/** The accountant's page: the roll-up, the burn, genai against vendor, threshold alerts; live. */
export function BudgetPage({ api }: { api: Api }) {
  const [show, setShow] = useState('');
  const [rollup, setRollup] = useState<Rollup>();
  const [compare, setCompare] = useState<Comparison[]>([]);
  const [history, setHistory] = useState<History>();
  const [providers, setProviders] = useState<ProviderSpend[]>([]);
  const [error, setError] = useState<string>();
  const [loads, setLoads] = useState(0);

  useEffect(() => {
    void api
      .get<{ shots: Array<{ show: string }> }>('/v1/shots?limit=1')
      .then((r) => setShow((s) => s || r.shots[0]?.show || ''))
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    if (!show) return;
    const q = `show=${encodeURIComponent(show)}`;
    const load = async () => {
      try {
        const [r, c, hist, p] = await Promise.all([
          api.get<Rollup>(`/v1/budgets?${q}`),
          api.get<{ routes: Comparison[] }>(`/v1/budgets/compare?${q}`),
          api.get<History>(`/v1/budgets/history?${q}`),
          api.get<{ providers: ProviderSpend[] }>(`/v1/budgets/providers?${q}`),
        ]);
        setRollup(r);
        setCompare(c.routes);
        setHistory(hist);
        setProviders(p.providers);
        setLoads((n) => n + 1);
        setError(undefined);
      } catch (e) {
        setError(errorMessage(e));
      }
    };
    void load();
    const refresh = debounce(() => void load(), 300);
    return follow(api.token, ['budget.', 'genai.usage', 'genai.attempt', 'vendor.', 'shot.'], refresh);
  }, [show]);

  const download = async () => {
    try {
      const blob = await api.blob(`/v1/budgets/report.csv?show=${encodeURIComponent(show)}`);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${show}-cost-report.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section>
      <h1>Budget</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <ShowField value={show} onChange={setShow} />
        <button type="button" onClick={() => void download()} disabled={!show}>
          Download cost report (CSV)
        </button>
      </form>
      <ErrorNote error={error} />
      {!show ? (
        <p class="empty">Name a show to see its ledger.</p>
      ) : !rollup ? (
        <p>Loading…</p>
      ) : rollup.total.length === 0 ? (
        <p class="empty">No shots of {show} in the ledger yet.</p>
      ) : (
        <>
          <section class="card">
            <h2>By budget line{rollup.reportingCurrency ? ` (in ${rollup.reportingCurrency})` : ''}</h2>
            <RollupTable rows={rollup.lines} label="line" />
            {rollup.lines
              .filter((l) => (l.unconvertedShots ?? 0) > 0)
              .map((l) => (
                <p key={l.key} class="warning" data-testid={`unconverted-${l.key}`}>
                  {l.key}: {l.unconvertedShots} shot(s) with a cost that has no exchange rate, not counted
                  above:{' '}
                  {[...(l.unconvertedCommitted ?? []), ...(l.unconvertedActual ?? [])]
                    .map((m) => money(m.amountMinor, m.currency))
                    .join(', ')}
                </p>
              ))}
            {(rollup.versions ?? []).map((l) => (
              <div key={l.lineId}>
                <h3>Budget versions of {l.lineId}</h3>
                <Table
                  testId={`versions-${l.lineId}`}
                  head={['version', 'as recorded', `in ${l.currency}`, 'variance to EFC', '']}
                  rows={l.versions.map((v) => ({
                    key: v.version,
                    cells: [
                      v.version,
                      money(v.amount.amountMinor, v.amount.currency),
                      v.budget === null ? 'no rate for its day' : money(v.budget, l.currency),
                      v.variance === null ? '' : money(v.variance, l.currency),
                      v.current ? 'current' : '',
                    ],
                    class: ['', '', '', v.variance !== null && v.variance < 0 ? 'over' : '', ''],
                  }))}
                />
              </div>
            ))}
            <h2>By route</h2>
            <RollupTable rows={rollup.byRoute} label="route" />
            <h2>Show total</h2>
            <RollupTable rows={rollup.total} label="total" />
          </section>
          <section class="card">
            <h2>Burn</h2>
            {history && <BurnChart burn={history.burn} />}
          </section>
          <section class="card">
            <h2>Genai against vendor</h2>
            <Table
              head={['route', 'shots', 'cost per shot', 'cost per frame', 'turnaround median / p90 (h)']}
              rows={compare.map((c) => ({
                key: c.route,
                cells: [
                  c.route,
                  c.shots,
                  money(c.costPerShot, c.currency),
                  money(c.costPerFrame, c.currency),
                  `${c.turnaroundHours.median ?? '–'} / ${c.turnaroundHours.p90 ?? '–'}`,
                ],
              }))}
            />
          </section>
          <section class="card">
            <h2>Genai providers: what retries cost</h2>
            <Table
              testId="provider-spend"
              head={['provider', 'attempts charged', 'paid', 'of which failed', 'cancelled', 'timed out']}
              rows={providers.map((p) => ({
                key: p.provider,
                cells: [
                  p.provider,
                  p.attempts,
                  money(p.actual, p.currency),
                  `${money(p.byOutcome.failed.amount, p.currency)} (${p.byOutcome.failed.attempts})`,
                  `${money(p.byOutcome.cancelled.amount, p.currency)} (${p.byOutcome.cancelled.attempts})`,
                  `${money(p.byOutcome['timed-out'].amount, p.currency)} (${p.byOutcome['timed-out'].attempts})`,
                ],
              }))}
            />
          </section>
          <section class="card">
            <h2>Estimate accuracy</h2>
            <AccuracyPanel api={api} show={show} version={loads} />
          </section>
          <section class="card">
            <h2>Threshold alerts</h2>
            {history?.alerts.length ? (
              <ul data-testid="budget-alerts">
                {history.alerts.map((a) => (
                  <li key={`${a.at}-${a.lineId}-${a.thresholdPercent}`}>
                    <time>{when(a.at)}</time> {a.lineId} {a.direction === 'up' ? 'crossed' : 'fell under'}{' '}
                    {a.thresholdPercent}% ({a.measure} {money(a.value.amountMinor, a.value.currency)})
                  </li>
                ))}
              </ul>
            ) : (
              <p class="empty">No line has crossed a threshold.</p>
            )}
            {history?.missingRates?.length ? (
              <>
                <h3>Missing exchange rates</h3>
                <ul data-testid="missing-rates">
                  {history.missingRates.map((r) => (
                    <li key={`${r.shotId}-${r.from}-${r.to}-${r.date}`}>
                      <time>{when(r.at)}</time> {r.lineId}: a cost of shot {r.shotId} in {r.from} has no{' '}
                      {r.from}→{r.to} rate for {r.date}; it is shown unconverted until the rate is recorded
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
        </>
      )}
    </section>
  );
}
