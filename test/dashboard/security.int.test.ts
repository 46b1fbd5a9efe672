import { join } from 'node:path';
import { buildDashboard } from '@shotcaller/dashboard/build';
import { repoRoot } from '@shotcaller/engines';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runShotcaller, tokens } from '../support/shotcaller';

const screenshots = join(repoRoot(), 'test-output', 'screenshots');
let app: Awaited<ReturnType<typeof runShotcaller>>;
let browser: Browser;

beforeAll(async () => {
  await buildDashboard();
  app = await runShotcaller(['api']);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.running.stop();
});

interface Watched {
  context: BrowserContext;
  page: Page;
  /** Every `securitypolicyviolation` the page reported: directive and what was blocked. */
  violations(): Promise<string[]>;
  /** Console lines about the Content Security Policy. */
  cspConsole: string[];
}

/** A fresh browser context whose page records every CSP violation, from the first script on. */
async function watchedPage(): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Init scripts run through the DevTools protocol, outside the page's CSP: the listener is not itself blocked.
  await context.addInitScript(`
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(e.effectiveDirective + ' ' + e.blockedURI));
  `);
  const page = await context.newPage();
  const cspConsole: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspConsole.push(m.text());
  });
  return {
    context,
    page,
    cspConsole,
    violations: () => page.evaluate<string[]>('window.__csp'),
  };
}

async function signIn(page: Page, token: string, remember = false) {
  await page.getByLabel('API token').fill(token);
  if (remember) await page.getByLabel('Remember me in this tab').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('who').waitFor();
}

describe('the dashboard under its Content Security Policy, in Chromium', () => {
  it('is served with the strict policy and the security headers', async () => {
    const { context, page } = await watchedPage();
    const response = await page.goto(app.running.apiUrl!);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
    await context.close();
  });

  it('runs every page with no CSP violation', async () => {
    const watched = await watchedPage();
    const { page } = watched;
    await page.goto(app.running.apiUrl!);
    await signIn(page, tokens.admin);
    for (const [hash, heading] of [
      ['#/shots', 'Shots'],
      ['#/budget', 'Budget'],
      ['#/compliance', 'Compliance inbox'],
      ['#/whatif', 'What-if'],
      ['#/tickets', 'Vendor tickets'],
    ] as const) {
      await page.goto(`${app.running.apiUrl}/${hash}`);
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: heading }).waitFor();
      await page.locator('main h1').first().waitFor();
    }
    await page.screenshot({ path: join(screenshots, 'csp-admin-tickets.png') });
    expect(await watched.violations()).toEqual([]);
    expect(watched.cspConsole).toEqual([]);
    await watched.context.close();
  });

  it('blocks an injected inline script (the policy is enforced, and the check above can see a violation)', async () => {
    const watched = await watchedPage();
    const { page } = watched;
    await page.goto(app.running.apiUrl!);
    const ran = await page.evaluate<boolean>(`(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
      await new Promise((r) => setTimeout(r, 100));
      return window.__injected ?? false;
    })()`);
    expect(ran).toBe(false);
    expect(await watched.violations()).toEqual(['script-src-elem inline']);
    await watched.context.close();
  });

  it('keeps the token in memory only: nothing in storage, and a reload asks for it again', async () => {
    const { context, page, violations } = await watchedPage();
    await page.goto(app.running.apiUrl!);
    await signIn(page, tokens.td);
    const storage = await page.evaluate(
      '({ session: Object.keys(sessionStorage), local: Object.keys(localStorage), cookie: document.cookie })',
    );
    expect(storage).toEqual({ session: [], local: [], cookie: '' });
    await page.reload();
    await page.getByLabel('API token').waitFor();
    await page.screenshot({ path: join(screenshots, 'sign-in.png') });
    expect(await violations()).toEqual([]);
    await context.close();
  });

  it('keeps the token in this tab’s sessionStorage when the person asks to be remembered, and forgets it on sign-out', async () => {
    const { context, page } = await watchedPage();
    await page.goto(app.running.apiUrl!);
    await signIn(page, tokens.td, true);
    expect(await page.evaluate('Object.keys(localStorage)')).toEqual([]);
    expect(await page.evaluate("sessionStorage.getItem('shotcaller.token')")).toBe(tokens.td);
    await page.reload();
    await page.getByTestId('who').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    expect(await page.evaluate('Object.keys(sessionStorage)')).toEqual([]);
    await context.close();
  });
});
