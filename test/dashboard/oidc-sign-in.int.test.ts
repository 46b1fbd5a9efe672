import { join } from 'node:path';
import { buildDashboard } from '@shotcaller/dashboard/build';
import { freePort, repoRoot } from '@shotcaller/engines';
import { aShotRequest } from '@shotcaller/testkit';
// Its own entry point: only the tests that need a provider load oidc-provider.
import { startOidcProvider, type TestOidcProvider } from '@shotcaller/testkit/oidc-provider';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runShotcaller, tokenEntries, tokens } from '../support/shotcaller';

const screenshots = join(repoRoot(), 'test-output', 'screenshots');
const audience = 'https://shotcaller.test/api';
const users = {
  ana: { name: 'Ana Lima', groups: ['vfx-nth-td'] },
  ines: { name: 'Ines Duarte', groups: ['vfx-nth-accountants'] },
  cleo: { name: 'Cleo Martin', groups: ['vfx-nth-compliance'] },
  noor: { name: 'Noor Bell', groups: ['catering'] },
};
let idp: TestOidcProvider;
let app: Awaited<ReturnType<typeof runShotcaller>>;
let browser: Browser;

beforeAll(async () => {
  await buildDashboard();
  idp = await startOidcProvider({ users, audience });
  const port = await freePort();
  const home = `http://127.0.0.1:${port}`;
  idp.registerDashboard({
    clientId: 'shotcaller-dashboard',
    clientSecret: 'dashboard-secret-0123456789',
    redirectUris: [`${home}/auth/callback`],
    postLogoutRedirectUris: [`${home}/`],
  });
  app = await runShotcaller(['api'], {
    api: { port },
    auth: {
      tokens: tokenEntries(),
      oidc: {
        issuer: idp.issuer,
        clientId: 'shotcaller-dashboard',
        clientSecret: 'dashboard-secret-0123456789',
        publicUrl: home,
        audience,
        resource: audience,
        scopes: ['openid', 'profile', 'groups'],
        allowInsecureHttp: true,
        displayName: 'Studio SSO',
        claimRules: [
          { claim: 'groups', value: 'vfx-nth-td', role: 'td', shows: ['NTH'] },
          { claim: 'groups', value: 'vfx-nth-accountants', role: 'accountant', shows: ['NTH'] },
          { claim: 'groups', value: 'vfx-nth-compliance', role: 'compliance', shows: ['NTH'] },
        ],
      },
    },
  });
  // One shot on the show the people above work on, one on a show none of them may see.
  const admin = app.client(tokens.admin);
  await admin.submitShot(aShotRequest({ show: 'NTH', shot: 'SSO_0010' }));
  await admin.submitShot(aShotRequest({ show: 'ZZZ', shot: 'SSO_0020' }));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.running.stop();
  await idp?.stop();
});

/** Signs in through the provider's own pages, as a person would; records errors on Shotcaller's pages. */
async function signInWithProvider(login: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const ours = () => page.url().startsWith(app.running.apiUrl!);
  page.on('console', (m) => {
    if (m.type() === 'error' && ours()) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.running.apiUrl!);
  await page.getByRole('link', { name: 'Sign in with Studio SSO' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.href.startsWith(app.running.apiUrl!));
  return { page, errors };
}

const navOf = (page: Page) =>
  page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allInnerTexts();
const meOf = (page: Page) =>
  page.evaluate(async () => {
    const response = await fetch('/v1/me');
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  });

describe('dashboard sign-in with the studio’s OpenID provider, in Chromium', () => {
  it('a TD, an accountant and a compliance officer each see only their pages and shows, then sign out', async () => {
    const expected = {
      ana: { name: 'Ana Lima', pages: ['Shots', 'What-if'], role: 'td' },
      ines: { name: 'Ines Duarte', pages: ['Budget', 'What-if', 'Labour impact'], role: 'accountant' },
      cleo: { name: 'Cleo Martin', pages: ['Compliance inbox', 'Labour impact'], role: 'compliance' },
    } as const;
    for (const [login, want] of Object.entries(expected)) {
      const { page, errors } = await signInWithProvider(login);
      await expect(page.getByTestId('who').textContent()).resolves.toContain(want.name);
      expect(await navOf(page)).toEqual(want.pages);
      // The session is the HTTP-only cookie: no script reads it, and the page holds no token.
      const cookies = await page.context().cookies(app.running.apiUrl!);
      const session = cookies.find((c) => c.name === 'shotcaller-session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
      expect(await page.evaluate('document.cookie')).toBe('');
      const me = await meOf(page);
      expect(me.body).toMatchObject({
        name: want.name,
        subject: login,
        by: 'oidc-session',
        role: want.role,
        shows: ['NTH'],
      });
      if (login === 'ana') {
        await page.locator('[data-shot="SSO_0010"]').waitFor();
        expect(await page.locator('[data-shot="SSO_0020"]').count()).toBe(0);
      }
      await page.screenshot({ path: join(screenshots, `sso-${login}.png`), fullPage: true });
      await page.goto(`${app.running.apiUrl}/#/tickets`);
      await expect(page.getByTestId('forbidden').textContent()).resolves.toContain('cannot open this page');

      await page.getByRole('button', { name: 'Sign out' }).click();
      // The provider asks before it ends its own session, then sends the browser back home.
      await page.getByRole('button', { name: 'Yes, sign me out' }).click();
      await page.waitForURL((url) => url.href.startsWith(app.running.apiUrl!));
      await page.getByRole('link', { name: 'Sign in with Studio SSO' }).waitFor();
      expect(errors).toEqual([]);
      expect((await meOf(page)).status).toBe(401);
      // Sign-out ended the session itself: the old cookie, replayed, names nothing.
      const replayed = await fetch(`${app.running.apiUrl}/v1/me`, {
        headers: { cookie: `shotcaller-session=${session!.value}` },
      });
      expect(replayed.status).toBe(401);
      await page.context().close();
    }
  }, 120_000);

  it('a person in no mapped group is told which claim was read, not shown a blank page', async () => {
    const { page } = await signInWithProvider('noor');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/Noor Bell .*groups \("catering"\)/);
    await page.screenshot({ path: join(screenshots, 'sso-unmapped.png') });
    await page.context().close();
  });

  it('the token box still signs in with an API token beside the provider', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app.running.apiUrl!);
    await page.getByLabel('API token').fill(tokens.accountant);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').waitFor();
    expect(await navOf(page)).toEqual(['Budget', 'What-if', 'Labour impact']);
    await context.close();
  });
});
