import { errorMessage } from '@shotcaller/contracts/error-message';
import type * as preact from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Api, type Me, type Role } from './api';
import { BudgetPage } from './pages/budget';
import { CompliancePage } from './pages/compliance';
import { LabourPage } from './pages/labour';
import { ShotPage } from './pages/shot';
import { ShotsPage } from './pages/shots';
import { SignIn } from './pages/sign-in';
import { TicketsPage } from './pages/tickets';
import { WhatIfPage } from './pages/whatif';

/** Which pages each role has: a role only reaches what is its own. */
export const pagesOf: Record<Role, Array<Page>> = {
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
 * Signing in with the studio's provider leaves an HTTP-only session cookie that no script here can
 * read. An API token typed into the box lives in this page's memory only, so a reload asks for it
 * again; ticking "remember me" keeps it in this tab's sessionStorage (gone when the tab closes).
 * Never localStorage.
 */
const tokenKey = 'shotcaller.token';

/**
 * A shot's own page is open to every role that may read shots (the API's `shots:read`), so that an
 * alert can link to it; only roles that may steer shots (`shots:steer`) see its actions.
 */
const readsShots: readonly Role[] = ['td', 'accountant', 'compliance', 'admin'];
const steersShots: readonly Role[] = ['td', 'admin'];

/** The pages of every role a person holds, in the order the nav shows them. */
export function pagesFor(roles: readonly Role[]): Page[] {
  const all = roles.flatMap((r) => pagesOf[r]);
  return (Object.keys(titles) as Page[]).filter((p) => all.includes(p));
}
type Page = keyof typeof titles;

export interface SignInOptions {
  oidc: { url: string; displayName: string } | null;
  session: boolean;
}

/** A sign-in that failed at the provider comes back as `#sign-in-error=<why>`. */
function takeSignInError(): string | undefined {
  const match = /^#sign-in-error=(.*)$/.exec(location.hash);
  if (!match) return undefined;
  history.replaceState(null, '', location.pathname);
  return decodeURIComponent(match[1]!);
}

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
  const [error, setError] = useState<string | undefined>(takeSignInError);
  const [options, setOptions] = useState<SignInOptions>({ oidc: null, session: false });
  const hash = useHash();

  const signIn = async (token: string | undefined, remember: boolean) => {
    const candidate = new Api(token);
    try {
      const who = await candidate.get<Me>('/v1/me');
      if (token && remember) sessionStorage.setItem(tokenKey, token);
      else sessionStorage.removeItem(tokenKey);
      setApi(candidate);
      setMe(who);
      setError(undefined);
      if (!location.hash || location.hash === '#/') location.hash = `#/${pagesFor(who.roles)[0]}`;
    } catch (e) {
      sessionStorage.removeItem(tokenKey);
      setError(errorMessage(e));
    }
  };
  useEffect(() => {
    void (async () => {
      const found = await new Api()
        .get<SignInOptions>('/auth/sign-in-options')
        .catch((): SignInOptions => ({ oidc: null, session: false }));
      setOptions(found);
      const saved = sessionStorage.getItem(tokenKey);
      if (saved) await signIn(saved, true);
      else if (found.session) await signIn(undefined, false);
    })();
  }, []);

  if (!api || !me) return <SignIn onSignIn={signIn} error={error} oidc={options.oidc} />;
  const allowed = pagesFor(me.roles);
  const [, page = allowed[0], id] = hash.replace(/^#/, '').split('/');
  const signOut = async () => {
    sessionStorage.removeItem(tokenKey);
    if (!api.token) {
      // The session ends here, then at the provider, which sends the browser back to this page.
      const out = await api
        .post<{ signOutUrl: string }>('/auth/logout', {})
        .catch(() => ({ signOutUrl: '/' }));
      location.assign(out.signOutUrl);
      return;
    }
    setApi(undefined);
    setMe(undefined);
    location.hash = '';
  };

  let body: preact.JSX.Element;
  const shotPage = page === 'shots' && !!id && me.roles.some((r) => readsShots.includes(r));
  if (!allowed.includes(page as (typeof allowed)[number]) && !shotPage)
    body = (
      <section class="card" role="alert" data-testid="forbidden">
        <h1>Not for this role</h1>
        <p>
          The {me.roles.join(' and ')} role{me.roles.length > 1 ? 's' : ''} cannot open this page. Your pages:{' '}
          {allowed.map((p) => (
            <a key={p} href={`#/${p}`}>
              {titles[p]}{' '}
            </a>
          ))}
        </p>
      </section>
    );
  else if (page === 'shots' && id)
    body = (
      <ShotPage
        api={api}
        id={id}
        steers={me.roles.some((r) => steersShots.includes(r))}
        board={allowed.includes('shots')}
      />
    );
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
          {me.name} · {me.roles.join(', ')}
        </span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main>{body}</main>
    </>
  );
}
