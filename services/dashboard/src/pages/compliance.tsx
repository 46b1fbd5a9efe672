import { errorMessage } from '@shotcaller/contracts/error-message';
import { useEffect, useState } from 'preact/hooks';
import { type Api, when } from '../api';
import { ErrorNote, Table } from '../components';
import { debounce, follow } from '../live';
import type { Alert } from '../types';

interface Consent {
  id: string;
  performerId: string;
  performerName?: string;
  show?: string;
  uses?: string[];
  territories?: string[];
  revoked: boolean;
}
interface Approval {
  id: string;
  kind: string;
  show: string;
  shotId?: string;
  approvedBy: string;
  note: string;
  recordedAt: string;
}
interface AuditEvent {
  id: string;
  type: string;
  time: string;
  subject?: string;
  data: Record<string, unknown>;
}

function AlertItem({ alert, api, onDone }: { alert: Alert; api: Api; onDone: () => void }) {
  const [mode, setMode] = useState<'ack' | 'resolved' | 'waived'>();
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const open = alert.status === 'raised' || alert.status === 'acknowledged';
  const submit = async () => {
    try {
      if (mode === 'ack') await api.post(`/v1/compliance/alerts/${alert.alertId}/ack`, { note: text });
      else
        await api.post(`/v1/compliance/alerts/${alert.alertId}/resolve`, { resolution: mode, reason: text });
      setMode(undefined);
      setText('');
      setError(undefined);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <li class={`alert ${alert.severity} ${alert.status}`} data-alert={alert.alertId}>
      <p>
        <span class={`severity ${alert.severity}`}>{alert.severity}</span> <strong>{alert.title}</strong>{' '}
        <span class="status" data-testid="alert-status">
          {alert.status}
        </span>
      </p>
      <p>{alert.message}</p>
      <p class="muted">
        {alert.ruleId} — {alert.source}
        {alert.shotId && (
          <>
            {' '}
            · shot{' '}
            <a href={`#/shots/${alert.shotId}`} data-testid="alert-shot">
              {alert.shotCode ?? alert.shotId}
            </a>
          </>
        )}{' '}
        · raised {when(alert.raisedAt)}
      </p>
      {alert.trail.length > 0 && (
        <ul class="trail">
          {alert.trail.map((t) => (
            <li key={`${t.at}-${t.action}`}>
              {when(t.at)} {t.action} by {t.by}
              {t.note ? `: ${t.note}` : ''}
            </li>
          ))}
        </ul>
      )}
      {open && !mode && (
        <div class="actions">
          {alert.status === 'raised' && (
            <button type="button" onClick={() => setMode('ack')}>
              Acknowledge
            </button>
          )}
          <button type="button" onClick={() => setMode('resolved')}>
            Resolve
          </button>
          <button type="button" onClick={() => setMode('waived')}>
            Waive
          </button>
        </div>
      )}
      {mode && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label>
            {mode === 'ack' ? 'Note (optional)' : `Why it is ${mode}`}{' '}
            <input value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} autofocus />
          </label>
          <button type="submit">Confirm</button>
          <button type="button" onClick={() => setMode(undefined)}>
            Never mind
          </button>
        </form>
      )}
      <ErrorNote error={error} />
    </li>
  );
}

/** The compliance officer's inbox: open alerts by severity, their lifecycle, consents, the audit trail. */
export function CompliancePage({ api }: { api: Api }) {
  const [alerts, setAlerts] = useState<Alert[]>();
  const [consents, setConsents] = useState<Consent[]>([]);
  const [approvals, setApprovals] = useState<Approval[]>([]);
  const [audit, setAudit] = useState<AuditEvent[]>([]);
  const [error, setError] = useState<string>();
  const load = async () => {
    try {
      const [a, c, p, t] = await Promise.all([
        api.get<{ alerts: Alert[] }>('/v1/compliance/alerts'),
        api.get<{ consents: Consent[] }>('/v1/consents'),
        api.get<{ approvals: Approval[] }>('/v1/approvals'),
        api.get<{ events: AuditEvent[] }>('/v1/audit?limit=100'),
      ]);
      setAlerts(a.alerts);
      setConsents(c.consents);
      setApprovals(p.approvals);
      setAudit(t.events);
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  useEffect(() => {
    void load();
    const refresh = debounce(() => void load(), 250);
    return follow(api.token, ['compliance.', 'consent.', 'approval.', 'shot.held', 'shot.released'], refresh);
  }, []);

  const open = alerts?.filter((a) => a.status === 'raised' || a.status === 'acknowledged') ?? [];
  const closed = alerts?.filter((a) => a.status === 'resolved' || a.status === 'waived') ?? [];
  return (
    <section>
      <h1>Compliance inbox</h1>
      <ErrorNote error={error} />
      {alerts === undefined ? (
        <p>Loading…</p>
      ) : (
        <>
          <section class="card">
            <h2>Open alerts ({open.length})</h2>
            {open.length === 0 ? (
              <p class="empty">Nothing needs you: no open alerts.</p>
            ) : (
              <ul class="alerts">
                {open.map((a) => (
                  <AlertItem key={a.alertId} alert={a} api={api} onDone={() => void load()} />
                ))}
              </ul>
            )}
          </section>
          {closed.length > 0 && (
            <section class="card">
              <h2>Closed alerts ({closed.length})</h2>
              <ul class="alerts">
                {closed.map((a) => (
                  <AlertItem key={a.alertId} alert={a} api={api} onDone={() => void load()} />
                ))}
              </ul>
            </section>
          )}
        </>
      )}
      <section class="card">
        <h2>Consents on file</h2>
        {consents.length === 0 ? (
          <p class="empty">No consents recorded.</p>
        ) : (
          <Table
            head={['consent', 'performer', 'show', 'uses', 'territories', 'status']}
            rows={consents.map((c) => ({
              key: c.id,
              cells: [
                c.id,
                c.performerName ?? c.performerId,
                c.show ?? '',
                c.uses?.join(', '),
                c.territories?.join(', '),
                c.revoked ? 'revoked' : 'in force',
              ],
            }))}
          />
        )}
      </section>
      <section class="card">
        <h2>Approvals and union notices on file</h2>
        {approvals.length === 0 ? (
          <p class="empty">No approvals recorded.</p>
        ) : (
          <Table
            head={['approval', 'kind', 'show', 'shot', 'by', 'recorded', 'note']}
            rows={approvals.map((a) => ({
              key: a.id,
              cells: [
                a.id,
                a.kind,
                a.show,
                a.shotId ?? 'all shots',
                a.approvedBy,
                when(a.recordedAt),
                a.note,
              ],
            }))}
          />
        )}
      </section>
      <section class="card">
        <h2>Audit trail</h2>
        <ol class="timeline" data-testid="audit">
          {audit.map((e) => (
            <li key={e.id}>
              <time>{when(e.time)}</time> {e.type.replace(/^io\.shotcaller\./, '').replace(/\.v\d+$/, '')}{' '}
              {typeof e.data.by === 'string' ? `by ${e.data.by}` : ''}{' '}
              {typeof e.data.alertId === 'string' ? e.data.alertId : (e.subject ?? '')}
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}
