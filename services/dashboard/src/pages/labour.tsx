import type { LabourFigures, LabourImpactReport as Report } from '@shotcaller/contracts';
import { errorMessage } from '@shotcaller/contracts/error-message';
import { labourGroupColumns, tenths } from '@shotcaller/reports/labour-table';
import { useState } from 'preact/hooks';
import type { Api } from '../api';
import { ErrorNote, ShowField, Table } from '../components';

/** Estimates are shown in whole currency units: the rate cards behind them are a model, not a price. */
export const whole = (minor: number, currency: string) => {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return `${currency} ${Math.round(minor / 10 ** digits).toLocaleString('en')}`;
};

/** Labour impact: for accountants and compliance officers, what routing to AI took from vendors and crews. */
export function LabourPage({ api }: { api: Api }) {
  const [show, setShow] = useState('NTH');
  const [episode, setEpisode] = useState('');
  const [sequence, setSequence] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();

  const query = (format: 'json' | 'csv') => {
    const q = new URLSearchParams({ show, format });
    if (episode) q.set('episode', episode);
    if (sequence) q.set('sequence', sequence);
    if (from) q.set('from', `${from}T00:00:00Z`);
    if (to) q.set('to', `${to}T00:00:00Z`);
    return `/v1/reports/labour-impact?${q}`;
  };
  const load = async () => {
    try {
      setReport(await api.get<Report>(query('json')));
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const download = async () => {
    try {
      const url = URL.createObjectURL(await api.blob(query('csv')));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${show}-labour-impact.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const c = report?.currency || 'USD';
  const columns = labourGroupColumns((n) => whole(n, c));
  const head = ['', ...columns.map(([heading]) => heading)];
  const rows = (groups: LabourFigures[]) =>
    groups.map((g) => ({ key: g.key, cells: [g.key, ...columns.map(([, cell]) => cell(g))] }));
  const t = report?.totals;
  const returned = report?.shots.filter((s) => s.returned) ?? [];

  return (
    <section>
      <h1>Labour impact</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <ShowField value={show} onChange={setShow} />
        <label>
          Episode{' '}
          <input value={episode} onInput={(e) => setEpisode((e.target as HTMLInputElement).value)} size={6} />
        </label>
        <label>
          Sequence{' '}
          <input
            value={sequence}
            onInput={(e) => setSequence((e.target as HTMLInputElement).value)}
            size={6}
          />
        </label>
        <label>
          From{' '}
          <input type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Until (not including){' '}
          <input type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={!show}>
          Show
        </button>
        <button type="button" disabled={!show} onClick={() => void download()}>
          CSV for a union consultation
        </button>
      </form>
      <ErrorNote error={error} />
      {!report || !t ? (
        <p class="empty">
          Pick a show: the report is folded from the event log, with the estimates recorded when each shot was
          routed.
        </p>
      ) : (
        <>
          <section class="card" data-testid="labour-totals">
            <h2>
              {t.aiShots} shot(s) went to AI{report.upTo ? ` (log read up to ${report.upTo})` : ''}
            </h2>
            <p>
              For them the vendor route was estimated at <strong>{whole(t.vendorWouldBeCost, c)}</strong>, or{' '}
              <strong>{tenths(t.vendorArtistDaysNotContracted)} vendor artist-days not contracted</strong>{' '}
              (estimates recorded at routing). {t.aiShotsPreviouslyAtVendor} of them had been at a vendor.
            </p>
            <p>
              Artist time still in the AI work: {whole(t.genaiArtistCost, c)}, {tenths(t.genaiArtistDays)}{' '}
              artist-days (estimate); {tenths(t.actualArtistHours)} hours recorded on {t.aiShotsWithActual}{' '}
              shot(s).
            </p>
            <p>
              {t.vendorShots} shot(s) went to vendors ({t.returnedShots} back from AI, counted once there),
              estimated at {whole(t.vendorEstimateCost, c)}, {tenths(t.vendorArtistDays)} artist-days.{' '}
              {t.heldShots} held; left out: {report.leftOut.cancelled} cancelled,{' '}
              {report.leftOut.notYetRouted} not routed yet.
            </p>
            {t.aiShotsWithoutLabourBasis > 0 && (
              <p class="error">
                {t.aiShotsWithoutLabourBasis} AI shot(s) were routed without artist-days recorded: they are
                missing from the artist-day figures, not zero.
              </p>
            )}
          </section>
          <section class="card">
            <h2>By sequence, category, complexity and week</h2>
            <Table
              testId="labour-by-sequence"
              head={['sequence', ...head.slice(1)]}
              rows={rows(report.bySequence)}
            />
            <Table
              testId="labour-by-category"
              head={['category', ...head.slice(1)]}
              rows={rows(report.byCategory)}
            />
            <Table head={['complexity', ...head.slice(1)]} rows={rows(report.byComplexity)} />
            <Table head={['week (ISO, of the routing)', ...head.slice(1)]} rows={rows(report.byWeek)} />
          </section>
          <section class="card">
            <h2>Returned from AI to a vendor ({returned.length})</h2>
            <Table
              testId="labour-returns"
              head={['shot', 'when', 'why', 'reason']}
              rows={returned.map((s) => ({
                key: s.shotId,
                cells: [s.shot, s.returned!.at, s.returned!.cause, s.returned!.reason],
              }))}
            />
          </section>
          <section class="card">
            <h2>What the figures are based on</h2>
            <dl>
              {report.bases.map((b) => (
                <>
                  <dt key={`${b.figure}-t`}>{b.figure}</dt>
                  <dd key={`${b.figure}-d`}>{b.basis}</dd>
                </>
              ))}
            </dl>
          </section>
        </>
      )}
    </section>
  );
}
