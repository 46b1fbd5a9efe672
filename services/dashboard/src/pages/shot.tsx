import type { ShotState } from '@shotcaller/contracts';
import { errorMessage } from '@shotcaller/contracts/error-message';
import { useEffect, useState } from 'preact/hooks';
import { type Api, money, when } from '../api';
import { ErrorNote } from '../components';
import { debounce, follow } from '../live';
import type { Shot } from '../types';

type Action = 'override' | 'cancel' | 'retry' | 'approve' | 'reject';
const actionsFor: Partial<Record<ShotState, Action[]>> = {
  submitted: ['cancel'],
  routing: ['cancel'],
  held: ['override', 'cancel'],
  queued: ['override', 'cancel'],
  'in-progress': ['cancel'],
  delivered: ['approve', 'reject', 'cancel'],
  'in-review': ['approve', 'reject', 'cancel'],
  rejected: ['retry', 'cancel'],
  failed: ['retry', 'cancel'],
};

/** A frame's Content Credentials as the API checked them (GET …/outputs/:index/credentials). */
interface Credentials {
  verdict: 'valid' | 'invalid' | 'none' | 'unreadable';
  binding: string;
  summary: string;
  trust?: string;
  signer?: { subject: string; issuer: string; notAfter: string };
  actions: Array<{ action: string; digitalSourceType?: string; softwareAgent?: string }>;
  aiGenerated: boolean;
  ingredients: Array<{ title?: string; relationship?: string; sha256?: string }>;
  trainingMining: Record<string, string>;
  problems: Array<{ code: string; explanation: string }>;
  shotcaller?: {
    compliance?: { consentIds?: string[]; approvalIds?: string[]; ruleCatalogueVersion?: string };
  };
}

const cn = (dn: string) => /CN=([^,]+)/.exec(dn)?.[1] ?? dn;
const trustWords: Record<string, string> = {
  trusted: 'trusted signer',
  'this-deployment': 'this deployment’s certificate',
  development: 'development certificate: trusted by no C2PA validator',
  untrusted: 'signer not in the trust anchors',
};

/** Beside each frame: whether its credentials hold, who signed, what made it, the consents it relied on. */
function CredentialsNote({ c }: { c?: Credentials }) {
  if (!c) return <p class="muted">Checking Content Credentials…</p>;
  const consents = c.shotcaller?.compliance?.consentIds ?? [];
  const refused = Object.entries(c.trainingMining).filter(([, v]) => v === 'notAllowed');
  return (
    <div class={`credentials ${c.verdict}`} data-testid="credentials" data-verdict={c.verdict}>
      <strong>
        {c.verdict === 'valid'
          ? 'Content Credentials: valid'
          : c.verdict === 'invalid'
            ? 'Content Credentials: INVALID'
            : c.verdict === 'none'
              ? 'No Content Credentials'
              : 'Unreadable file'}
      </strong>
      {c.verdict !== 'valid' && c.problems[0] && <span> — {c.problems[0].explanation}</span>}
      <ul>
        {c.signer && (
          <li>
            Signed by {cn(c.signer.subject)}
            {c.trust && <span class="muted"> ({trustWords[c.trust] ?? c.trust})</span>}
          </li>
        )}
        {c.actions.slice(0, 2).map((a) => (
          <li key={a.action}>
            {a.action.replace(/^c2pa\./, '')}
            {a.digitalSourceType && ` (${a.digitalSourceType.replace(/^.*\//, '')})`}
            {a.softwareAgent && ` by ${a.softwareAgent}`}
          </li>
        ))}
        {c.ingredients.length > 0 && (
          <li>
            From {c.ingredients.map((i) => `${i.title ?? '?'}${i.sha256 ? '' : ' (unhashed)'}`).join(', ')}
          </li>
        )}
        {c.shotcaller?.compliance && (
          <li>Consents relied on: {consents.length > 0 ? consents.join(', ') : 'none needed'}</li>
        )}
        {refused.length > 0 && <li>AI training and data mining: not allowed</li>}
      </ul>
    </div>
  );
}

function Thumbnails({ api, shot }: { api: Api; shot: Shot }) {
  const done = shot.history
    ?.filter(
      (e) =>
        e.type === 'io.shotcaller.genai.task.completed.v2' ||
        e.type === 'io.shotcaller.genai.task.completed.v1',
    )
    .at(-1);
  const count = (done?.data as { outputs?: unknown[] } | undefined)?.outputs?.length ?? 0;
  const [frames, setFrames] = useState<Array<{ url: string; credentials?: Credentials }>>([]);
  const [manifest, setManifest] = useState<string>();
  useEffect(() => {
    if (!done) return;
    let live = true;
    const made: string[] = [];
    void (async () => {
      const listing = await api
        .get<{ outputs: Array<{ url: string; credentialsUrl?: string }>; manifest?: unknown }>(
          `/v1/shots/${shot.id}/outputs`,
        )
        .catch(() => undefined);
      const shown: Array<{ url: string; credentials?: Credentials }> = [];
      for (const o of listing?.outputs.slice(0, 6) ?? []) {
        // A presigned URL of the store goes straight into the page; an API path needs the token.
        let url = o.url;
        if (!/^https?:/.test(o.url)) {
          const blob = await api.blob(o.url).catch(() => undefined);
          if (!blob) continue;
          url = URL.createObjectURL(blob);
          made.push(url);
        }
        const frame: { url: string; credentials?: Credentials } = { url };
        shown.push(frame);
        if (live) setFrames([...shown]);
        if (o.credentialsUrl) {
          frame.credentials = await api.get<Credentials>(o.credentialsUrl).catch(
            (e: unknown): Credentials => ({
              verdict: 'unreadable',
              binding: 'none',
              summary: errorMessage(e),
              actions: [],
              aiGenerated: false,
              ingredients: [],
              trainingMining: {},
              problems: [{ code: 'error', explanation: errorMessage(e) }],
            }),
          );
          if (live) setFrames([...shown]);
        }
      }
      // Work done before Content Credentials has an unsigned JSON manifest instead.
      if (listing?.manifest) {
        const m = await api.get<unknown>(`/v1/shots/${shot.id}/manifest`).catch(() => undefined);
        if (live && m) setManifest(JSON.stringify(m, null, 2));
      }
    })();
    return () => {
      live = false;
      for (const u of made) URL.revokeObjectURL(u);
    };
  }, [done?.id]);
  if (!done) return null;
  return (
    <section class="card">
      <h2>AI output ({count} frames)</h2>
      <div class="thumbs">
        {frames.map((f, i) => (
          <figure key={f.url} class="frame">
            <img src={f.url} alt={`Frame ${i + 1} of ${shot.request.shot}`} />
            <figcaption>
              <CredentialsNote c={f.credentials} />
            </figcaption>
          </figure>
        ))}
      </div>
      {manifest && (
        <details>
          <summary>Provenance manifest (unsigned, from before Content Credentials)</summary>
          <pre data-testid="manifest">{manifest}</pre>
        </details>
      )}
    </section>
  );
}

/** One shot: where it went and why, what happened to it, its output, and what a TD can do next. */
/** One shot; `steers` shows its actions, `board` the way back to the shots board (roles that have them). */
export function ShotPage({
  api,
  id,
  steers,
  board,
}: {
  api: Api;
  id: string;
  steers: boolean;
  board: boolean;
}) {
  const [shot, setShot] = useState<Shot>();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState<Action>();
  const [text, setText] = useState('');
  const [route, setRoute] = useState('vendor');

  const load = async () => {
    try {
      setShot(await api.get<Shot>(`/v1/shots/${id}`));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  useEffect(() => {
    void load();
    const refresh = debounce(() => void load(), 150);
    return follow(api.token, ['shot.', 'genai.'], (e) => {
      if (e.subject === id) refresh();
    });
  }, [id]);

  const act = async (action: Action) => {
    const body =
      action === 'override'
        ? { route, reason: text }
        : action === 'cancel'
          ? { reason: text }
          : action === 'retry'
            ? {}
            : { note: text };
    try {
      await api.post(`/v1/shots/${id}/${action}`, body);
      setPending(undefined);
      setText('');
      setError(undefined);
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (!shot)
    return error ? (
      <p class="error" role="alert">
        {error}
      </p>
    ) : (
      <p>Loading…</p>
    );
  const r = shot.request;
  const d = shot.decision;
  return (
    <section>
      {board && (
        <p>
          <a href="#/shots">← All shots</a>
        </p>
      )}
      <h1>
        {r.show} / {r.episode ? `${r.episode} / ` : ''}
        {r.sequence} / {r.shot}{' '}
        <span class="state" data-testid="state">
          {shot.state}
        </span>
      </h1>
      <p>{r.brief}</p>
      <p class="muted">
        {r.category} · {r.deliverable} · frames {r.frames.start}–{r.frames.end} · attempt {shot.attempt}
      </p>
      <ErrorNote error={error} />
      <section class="card actions" aria-label="Actions">
        {(steers ? (actionsFor[shot.state] ?? []) : []).map((a) => (
          <button key={a} type="button" onClick={() => (a === 'retry' ? void act(a) : setPending(a))}>
            {a}
          </button>
        ))}
        {pending && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void act(pending);
            }}
          >
            {pending === 'override' && (
              <label>
                Route{' '}
                <select value={route} onChange={(e) => setRoute((e.target as HTMLSelectElement).value)}>
                  <option value="vendor">vendor</option>
                  <option value="genai">genai</option>
                </select>
              </label>
            )}
            <label>
              {pending === 'approve'
                ? 'Note (optional)'
                : pending === 'reject'
                  ? 'Note for the rework'
                  : 'Reason'}{' '}
              <input value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} autofocus />
            </label>
            <button type="submit">Confirm {pending}</button>
            <button type="button" onClick={() => setPending(undefined)}>
              Never mind
            </button>
          </form>
        )}
      </section>
      {d && (
        <section class="card">
          <h2>
            Routed to {d.route} by {d.decidedBy}
          </h2>
          <p>{d.explanation}</p>
          <table>
            <thead>
              <tr>
                <th>rule</th>
                <th>outcome</th>
                <th>why</th>
              </tr>
            </thead>
            <tbody>
              {d.matchedRules.map((m) => (
                <tr key={m.ruleId}>
                  <td>{m.ruleId}</td>
                  <td>{m.outcome}</td>
                  <td>{m.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <thead>
              <tr>
                <th>route</th>
                <th>estimate</th>
                <th>turnaround</th>
              </tr>
            </thead>
            <tbody>
              {(['genai', 'vendor'] as const).map((k) => (
                <tr key={k}>
                  <td>{k}</td>
                  <td>{money(d.estimates[k].cost.amountMinor, d.estimates[k].cost.currency)}</td>
                  <td>{d.estimates[k].turnaroundHours} h</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {shot.precheck && shot.precheck.outcome === 'hold' && (
        <section class="card">
          <h2>Compliance hold</h2>
          <ul>
            {shot.precheck.findings
              .filter((f) => !f.satisfied && f.action !== 'record')
              .map((f) => (
                <li key={f.ruleId}>
                  <strong>{f.action}</strong> {f.ruleId}: {f.reason} <span class="muted">({f.source})</span>
                </li>
              ))}
          </ul>
        </section>
      )}
      <Thumbnails api={api} shot={shot} />
      <section class="card">
        <h2>Timeline</h2>
        <ol class="timeline" data-testid="timeline">
          {(shot.history ?? []).map((e) => (
            <li key={e.id}>
              <time>{when(e.time)}</time> {e.type.replace(/^io\.shotcaller\./, '').replace(/\.v\d+$/, '')}
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}
