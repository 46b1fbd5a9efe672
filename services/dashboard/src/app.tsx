import type * as preact from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Api, ApiProblem, type Me, type Role } from './api';
import { BudgetPage } from './pages/budget';
import { CompliancePage } from './pages/compliance';
import { LabourPage } from './pages/labour';
import { ShotPage } from './pages/shot';
import { ShotsPage } from './pages/shots';
import { SignIn } from './pages/sign-in';
import { TicketsPage } from './pages/tickets';
import { WhatIfPage } from './pages/whatif';

/** Which pages each role has: a role only reaches what is its own. */
export const pagesOf: Record<
  Role,
  Array<'shots' | 'budget' | 'compliance' | 'tickets' | 'whatif' | 'labour'>
> = {
  td: ['shots', 'whatif'],
  accountant: ['budget', 'whatif', 'labour'],
  compliance: ['compliance', 'labour'],
  vendor: ['tickets'],
  admin: ['shots', 'budget', 'compliance', 'tickets', 'whatif', 'labour'],
};
const titles = {
  shots: 'Shots',
  budget: 'Budget',
  compliance: 'Compliance inbox',
  tickets: 'Vendor tickets',
  whatif: 'What-if',
  labour: 'Labour impact',
};

/**
 * The token lives in this page's memory only, so a reload asks for it again; ticking "remember me"
 * keeps it in this tab's sessionStorage (gone when the tab closes). Never localStorage. An HTTP-only
 * session cookie replaces both once sign-in with OpenID Connect lands.
 */
const tokenKey = 'shotcaller.token';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

export function App() {
  const [api, setApi] = useState<Api | undefined>();
  const [me, setMe] = useState<Me | undefined>();
  const [error, setError] = useState<string | undefined>();
  const hash = useHash();

  const signIn = async (token: string, remember: boolean) => {
    const candidate = new Api(token);
    try {
      const who = await candidate.get<Me>('/v1/me');
      if (remember) sessionStorage.setItem(tokenKey, token);
      else sessionStorage.removeItem(tokenKey);
      setApi(candidate);
      setMe(who);
      setError(undefined);
      if (!location.hash || location.hash === '#/') location.hash = `#/${pagesOf[who.role][0]}`;
    } catch (e) {
      sessionStorage.removeItem(tokenKey);
      setError(e instanceof ApiProblem ? e.detail : String(e));
    }
  };
  useEffect(() => {
    const saved = sessionStorage.getItem(tokenKey);
    if (saved) void signIn(saved, true);
  }, []);

  if (!api || !me) return <SignIn onSignIn={signIn} error={error} />;
  const allowed = pagesOf[me.role];
  const [, page = allowed[0], id] = hash.replace(/^#/, '').split('/');
  const signOut = () => {
    sessionStorage.removeItem(tokenKey);
    setApi(undefined);
    setMe(undefined);
    location.hash = '';
  };

  let body: preact.JSX.Element;
  if (!allowed.includes(page as (typeof allowed)[number]))
    body = (
      <section class="card" role="alert" data-testid="forbidden">
        <h1>Not for this role</h1>
        <p>
          The {me.role} role cannot open this page. Your pages:{' '}
          {allowed.map((p) => (
            <a key={p} href={`#/${p}`}>
              {titles[p]}{' '}
            </a>
          ))}
        </p>
      </section>
    );
  else if (page === 'shots' && id) body = <ShotPage api={api} id={id} />;
  else if (page === 'shots') body = <ShotsPage api={api} />;
  else if (page === 'budget') body = <BudgetPage api={api} />;
  else if (page === 'compliance') body = <CompliancePage api={api} />;
  else if (page === 'whatif') body = <WhatIfPage api={api} />;
  else if (page === 'labour') body = <LabourPage api={api} />;
  else body = <TicketsPage api={api} />;

  return (
    <>
      <header class="top">
        <strong class="brand">Shotcaller</strong>
        <nav aria-label="Pages">
          {allowed.map((p) => (
            <a key={p} href={`#/${p}`} aria-current={page === p ? 'page' : undefined}>
              {titles[p]}
            </a>
          ))}
        </nav>
        <span class="who" data-testid="who">
          {me.name} · {me.role}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>{body}</main>
    </>
  );
}
