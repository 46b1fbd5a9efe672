import type { SimulationComparison as Comparison, SimulationReport as Report } from '@shotcaller/contracts';
import { errorMessage } from '@shotcaller/contracts/error-message';
import { labourComparisonRows } from '@shotcaller/reports/labour-table';
import {
  budgetLineRow,
  budgetLinesHead,
  comparisonHead,
  comparisonRow,
} from '@shotcaller/simulation/what-if-tables';
import { useState } from 'preact/hooks';
import { type Api, money } from '../api';
import { ErrorNote, ShowField, Table } from '../components';
import { whole } from './labour';

/** What-if: an accountant picks a policy file and sees the show replayed under it, beside what happened. */
export function WhatIfPage({ api }: { api: Api }) {
  const [show, setShow] = useState('NTH');
  const [policy, setPolicy] = useState<{ name: string; text: string }>();
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();
  const [running, setRunning] = useState(false);

  const run = async () => {
    if (!policy) return;
    setRunning(true);
    try {
      setReport(await api.post<Report>('/v1/simulations', { show, policy: policy.text }));
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setRunning(false);
    }
  };
  const m = (n: number) => money(n, report?.currency || 'USD');
  const compareRows = (rows: Comparison[]) => rows.map((r) => ({ key: r.key, cells: comparisonRow(r, m) }));
  const compareHead = ['', ...comparisonHead];

  return (
    <section>
      <h1>What-if</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <ShowField value={show} onChange={setShow} />
        <label>
          Policy file{' '}
          <input
            type="file"
            accept=".yaml,.yml"
            onChange={async (e) => {
              const file = (e.target as HTMLInputElement).files?.[0];
              if (file) setPolicy({ name: file.name, text: await file.text() });
            }}
          />
        </label>
        <button type="submit" disabled={!policy || !show || running}>
          {running ? 'Replaying…' : 'Compare'}
        </button>
      </form>
      <ErrorNote error={error} />
      {!report ? (
        <p class="empty">
          Pick a routing policy file: the show is replayed under it from the event log, and nothing live
          changes.
        </p>
      ) : (
        <>
          <section class="card">
            <h2>
              Under {report.candidatePolicy.id} (log read up to {report.snapshot.upTo})
            </h2>
            <Table
              testId="whatif-total"
              head={['total', ...compareHead.slice(1)]}
              rows={compareRows([report.totals])}
            />
            <Table head={['route', ...compareHead.slice(1)]} rows={compareRows(report.byRoute)} />
            <Table head={['sequence', ...compareHead.slice(1)]} rows={compareRows(report.bySequence)} />
          </section>
          <section class="card">
            <h2>Budget lines</h2>
            <Table
              head={budgetLinesHead}
              rows={report.budgetLines.map((l) => ({ key: l.lineId, cells: budgetLineRow(l, m) }))}
            />
            <p>
              Compliance: {report.compliance.actualHolds} held as routed, {report.compliance.candidateHolds}{' '}
              under the candidate
              {report.compliance.newHolds.length > 0 &&
                `; newly held: ${report.compliance.newHolds.map((h) => h.shot).join(', ')}`}
              .
            </p>
          </section>
          <section class="card">
            <h2>Labour: vendors' and crews' work</h2>
            <Table
              testId="whatif-labour"
              head={['', 'as routed', 'under candidate']}
              rows={labourComparisonRows(
                (n) => whole(n, report.currency || 'USD'),
                report.labour.actual,
                report.labour.candidate,
              ).map((cells) => ({ key: String(cells[0]), cells }))}
            />
            <p>
              As routed: the estimates recorded at routing; under the candidate: its rate cards. See the
              Labour impact page for the bases.
            </p>
          </section>
          <section class="card">
            <h2>Shots whose route would change ({report.shots.filter((s) => s.routeChanged).length})</h2>
            <Table
              head={['shot', 'category', 'as routed', 'cost', 'candidate', 'cost']}
              rows={report.shots
                .filter((s) => s.routeChanged)
                .map((s) => ({
                  key: s.shotId,
                  cells: [
                    s.shot,
                    s.category,
                    `${s.actual.route} (${s.actual.decidedBy ?? ''})`,
                    `${m(s.actual.cost.amountMinor)} ${s.actual.basis}`,
                    `${s.candidate.route} (${s.candidate.decidedBy ?? ''})`,
                    `${m(s.candidate.cost.amountMinor)} ${s.candidate.basis}`,
                  ],
                }))}
            />
          </section>
        </>
      )}
    </section>
  );
}
