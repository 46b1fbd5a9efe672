import type { ShotState } from '@shotcaller/contracts';
import { errorMessage } from '@shotcaller/contracts/error-message';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api';
import { ErrorNote, ShowField } from '../components';
import { debounce, follow } from '../live';
import type { Shot } from '../types';
import { TurnoverPanel } from './turnover-report';

const columns: ShotState[] = [
  'submitted',
  'routing',
  'held',
  'queued',
  'in-progress',
  'delivered',
  'approved',
  'rejected',
  'failed',
  'cancelled',
];

/**
 * The TD's board: shots by state, filtered by show and route, kept current from the live feed; with a
 * show chosen, the report of its latest editorial turnover above the columns.
 */
export function ShotsPage({ api }: { api: Api }) {
  const [shots, setShots] = useState<Shot[] | undefined>();
  const [error, setError] = useState<string>();
  const [show, setShow] = useState('');
  const [route, setRoute] = useState('');
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const load = async () => {
      const q = new URLSearchParams({ limit: '500' });
      if (show) q.set('show', show);
      if (route) q.set('route', route);
      try {
        setShots((await api.get<{ shots: Shot[] }>(`/v1/shots?${q}`)).shots);
        setError(undefined);
      } catch (e) {
        setError(errorMessage(e));
      }
    };
    void load();
    const refresh = debounce(() => {
      void load();
      setTick((t) => t + 1);
    }, 200);
    return follow(api.token, ['shot.', 'turnover.'], refresh);
  }, [api, show, route]);

  return (
    <section>
      <h1>Shots</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <ShowField value={show} onChange={setShow} />
        <label>
          Route{' '}
          <select value={route} onChange={(e) => setRoute((e.target as HTMLSelectElement).value)}>
            <option value="">any</option>
            <option value="genai">genai</option>
            <option value="vendor">vendor</option>
          </select>
        </label>
      </form>
      <ErrorNote error={error} />
      {show ? <TurnoverPanel api={api} show={show} refresh={tick} /> : null}
      {shots === undefined ? (
        <p>Loading…</p>
      ) : shots.length === 0 ? (
        <p class="empty">
          No shots yet. Submit some with <code>shotcaller submit</code> or the API.
        </p>
      ) : (
        <div class="board">
          {columns
            .map((state) => [state, shots.filter((s) => s.state === state)] as const)
            .filter(([, list]) => list.length > 0)
            .map(([state, list]) => (
              <section key={state} class="column" aria-label={`${state} shots`} data-state={state}>
                <h2>
                  {state} <span class="count">{list.length}</span>
                </h2>
                <ul>
                  {list.map((s) => (
                    <li key={s.id}>
                      <a href={`#/shots/${s.id}`} class="shot-card" data-shot={s.request.shot}>
                        <strong>{s.request.shot}</strong>
                        <span>{s.request.category}</span>
                        <span class={`route ${s.route ?? ''}`}>{s.route ?? 'unrouted'}</span>
                      </a>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
        </div>
      )}
    </section>
  );
}
