import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@shotcaller/cli';
import { shotCodeOf } from '@shotcaller/contracts';
import { buildDashboard } from '@shotcaller/dashboard/build';
import { repoRoot } from '@shotcaller/engines';
import { aPerformer, aShotRequest, eventually } from '@shotcaller/testkit';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { z } from 'zod';
import { runShotcaller, tokens } from '../support/shotcaller';

const examples = join(repoRoot(), 'examples');
const screenshots = join(repoRoot(), 'test-output', 'screenshots');
let app: Awaited<ReturnType<typeof runShotcaller>>;
let browser: Browser;
const consoleErrors: string[] = [];

beforeAll(async () => {
  await buildDashboard();
  mkdirSync(screenshots, { recursive: true });
  app = await runShotcaller(['api', 'router', 'genai-worker', 'budget', 'compliance'], {
    routing: { policyFile: join(examples, 'policy.yaml'), rateCardsFile: join(examples, 'rate-cards.yaml') },
    budget: { linesFile: join(examples, 'budget-lines.yaml') },
    genai: { previewScale: 0.05 },
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.running.stop();
});
afterEach(() => {
  // Every page of every test: no console errors, no uncaught exceptions.
  expect(consoleErrors).toEqual([]);
  consoleErrors.length = 0;
});

async function signIn(token: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(app.running.apiUrl!);
  await page.getByLabel('API token').fill(token);
  await page.keyboard.press('Enter');
  await page.getByTestId('who').waitFor();
  return page;
}

const shot = (overrides: Parameters<typeof aShotRequest>[0] = {}) =>
  aShotRequest({
    show: 'NTH',
    category: 'environment',
    frames: { start: 1001, end: 1003 },
    resolution: { width: 640, height: 360 },
    budgetLine: 'NTH-EP01-VFX',
    ...overrides,
  });

describe('the dashboard, in Chromium', () => {
  it('shows each role its own pages and nothing else', async () => {
    const expected = {
      td: ['Shots', 'What-if'],
      accountant: ['Budget', 'What-if', 'Labour impact'],
      compliance: ['Compliance inbox', 'Labour impact'],
      admin: ['Shots', 'Budget', 'Compliance inbox', 'Vendor tickets', 'What-if', 'Labour impact'],
      vendorA: ['Vendor tickets'],
    } as const;
    for (const [who, pages] of Object.entries(expected)) {
      const page = await signIn(tokens[who as keyof typeof tokens]);
      expect(await page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allInnerTexts()).toEqual(
        pages,
      );
      await page.screenshot({ path: join(screenshots, `home-${who}.png`), fullPage: true });
      await page.context().close();
    }
  });

  it('a vendor token cannot open the budget page', async () => {
    const page = await signIn(tokens.vendorA);
    await page.goto(`${app.running.apiUrl}/#/budget`);
    await expect(page.getByTestId('forbidden').textContent()).resolves.toContain('cannot open this page');
    await page.screenshot({ path: join(screenshots, 'vendor-budget-forbidden.png') });
    await page.context().close();
  });

  it('shows a shot submitted with the CLI appear and move on the board without a reload', async () => {
    const page = await signIn(tokens.td);
    await page.getByRole('heading', { name: 'Shots' }).waitFor();
    const request = shot({ shot: 'BRD_0010' });
    const dir = mkdtempSync(join(tmpdir(), 'shots-'));
    writeFileSync(join(dir, 'shot.yaml'), stringify({ shots: [request] }));
    const out: string[] = [];
    const code = await runCli(
      ['submit', join(dir, 'shot.yaml')],
      { out: (t) => out.push(t), err: (t) => out.push(t), tty: false },
      { SHOTCALLER_API_URL: app.running.apiUrl!, SHOTCALLER_TOKEN: tokens.td },
    );
    expect(code, out.join('\n')).toBe(0);
    const card = page.locator('[data-shot="BRD_0010"]');
    await card.waitFor({ timeout: 30_000 });
    await page.locator('[data-state="delivered"] [data-shot="BRD_0010"]').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(screenshots, 'shots-board.png'), fullPage: true });

    await card.click();
    await expect(page.getByTestId('state').textContent()).resolves.toBe('delivered');
    await page.getByRole('img', { name: /Frame 1 of BRD_0010/ }).waitFor();
    // Beside each frame: its Content Credentials, checked by the API.
    const credentials = page.getByTestId('credentials').first();
    await credentials.getByText('Content Credentials: valid').waitFor({ timeout: 30_000 });
    await expect(credentials.textContent()).resolves.toMatch(
      /Signed by Shotcaller development signer.*trainedAlgorithmicMedia.*training and data mining: not allowed/,
    );
    await page.screenshot({ path: join(screenshots, 'shot-page.png'), fullPage: true });
    await page.getByRole('button', { name: 'approve' }).click();
    await page.getByRole('button', { name: 'Confirm approve' }).click();
    await page.getByTestId('state').getByText('approved').waitFor();
    await page.context().close();
  }, 120_000);

  it('updates the accountant’s totals live when a usage event arrives', async () => {
    const page = await signIn(tokens.accountant);
    const total = page.getByTestId('rollup-total').getByTestId('actual-NTH');
    await total.waitFor({ timeout: 30_000 });
    const before = await total.textContent();
    const { shot: submitted } = await app.client().submitShot(shot({ shot: 'BRD_0020' }));
    await eventually(
      () => total.textContent(),
      (text) => text !== before,
      'the total actual to change without a reload',
      60_000,
    );
    const usage = (await app.client().getShot(submitted.id)).history!.some(
      (e) => e.type === 'io.shotcaller.genai.usage.recorded.v1',
    );
    expect(usage).toBe(true);
    await page.screenshot({ path: join(screenshots, 'budget.png'), fullPage: true });
    await page.context().close();
  }, 120_000);

  it('lets an accountant pick a policy file and see the show replayed under it', async () => {
    const page = await signIn(tokens.accountant);
    await page.goto(`${app.running.apiUrl}/#/whatif`);
    await page.getByLabel('Policy file').setInputFiles(join(examples, 'policies/all-vendor.yaml'));
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.getByTestId('whatif-total').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('heading', { name: /Under all-vendor/ }).count()).toBe(1);
    // The AI shots delivered so far would all have gone to a vendor.
    expect(
      await page.getByRole('heading', { name: /Shots whose route would change \([1-9]\d*\)/ }).count(),
    ).toBe(1);
    // The labour figures beside each other: under all-vendor no shot goes to AI.
    const labour = page.getByTestId('whatif-labour');
    await expect(
      labour
        .getByRole('row', { name: /shots to AI/ })
        .locator('td')
        .last()
        .textContent(),
    ).resolves.toBe('0');
    await page.screenshot({ path: join(screenshots, 'whatif.png'), fullPage: true });
    await page.context().close();
  });

  it('shows a compliance officer the labour impact, and gives the CSV for a union consultation', async () => {
    const { data: report } = await app
      .client(tokens.compliance)
      .request(
        'GET',
        '/v1/reports/labour-impact?show=NTH',
        z.object({ totals: z.object({ aiShots: z.int() }) }).loose(),
      );
    expect(report.totals.aiShots).toBeGreaterThan(0);
    const page = await signIn(tokens.compliance);
    await page.goto(`${app.running.apiUrl}/#/labour`);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    const totals = page.getByTestId('labour-totals');
    await totals.waitFor({ timeout: 30_000 });
    await expect(totals.getByRole('heading').textContent()).resolves.toContain(
      `${report.totals.aiShots} shot(s) went to AI`,
    );
    await expect(totals.textContent()).resolves.toContain('vendor artist-days not contracted');
    await page.getByTestId('labour-by-category').waitFor();
    await page.screenshot({ path: join(screenshots, 'labour-impact.png'), fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV for a union consultation' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('NTH-labour-impact.csv');
    const text = await readFile((await download.path())!, 'utf8');
    expect(text).toMatch(/^# Labour impact of routing work to generative AI — show NTH/);
    await page.context().close();
  });

  it('lets a compliance officer acknowledge an alert, and the audit trail shows it', async () => {
    const page = await signIn(tokens.compliance);
    await page.getByRole('heading', { name: 'Compliance inbox' }).waitFor();
    await app.client().submitShot(
      shot({
        shot: 'BRD_0030',
        category: 'face-likeness',
        requestedRoute: 'genai',
        performers: [
          aPerformer({
            id: 'p-lena',
            name: 'Lena Ortiz',
            union: 'sag-aftra',
            role: 'lead',
            likeness: 'altered',
          }),
        ],
      }),
    );
    const alert = page.locator('li.alert', { hasText: 'Lena Ortiz' }).first();
    await alert.waitFor({ timeout: 60_000 });
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await alert.getByLabel('Note (optional)').fill('Asking her agent for consent');
    await alert.getByRole('button', { name: 'Confirm' }).click();
    await alert.getByTestId('alert-status').getByText('acknowledged').waitFor();
    await page
      .getByTestId('audit')
      .getByText(/compliance\.alert\.acknowledged.*by cleo/)
      .first()
      .waitFor();
    await app.client(tokens.compliance).request('POST', '/v1/approvals', z.any(), {
      kind: 'union-notice',
      show: 'NTH',
      approvedBy: 'SAG-AFTRA field rep',
      note: 'Notice of AI use on the collapse sequence',
    });
    await page.getByRole('cell', { name: 'Notice of AI use on the collapse sequence' }).waitFor();
    await page.screenshot({ path: join(screenshots, 'compliance.png'), fullPage: true });
    await page.context().close();
  }, 120_000);

  it('names an alert’s shot by its code, linking to the shot’s page, which a compliance officer reads without its actions', async () => {
    const page = await signIn(tokens.compliance);
    await page.getByRole('heading', { name: 'Compliance inbox' }).waitFor();
    const { shot: held } = await app.client().submitShot(
      shot({
        shot: 'BRD_0040',
        category: 'face-likeness',
        requestedRoute: 'genai',
        performers: [
          aPerformer({
            id: 'p-noor',
            name: 'Noor Haddad',
            union: 'sag-aftra',
            role: 'lead',
            likeness: 'altered',
          }),
        ],
      }),
    );
    const link = page.locator('li.alert', { hasText: 'Noor Haddad' }).first().getByTestId('alert-shot');
    await link.waitFor({ timeout: 60_000 });
    expect(await link.textContent()).toBe(shotCodeOf(held.request));
    await link.click();
    await page.getByTestId('state').getByText('held').waitFor();
    expect(await page.getByRole('region', { name: 'Actions' }).getByRole('button').count()).toBe(0);
    expect(await page.getByRole('link', { name: '← All shots' }).count()).toBe(0);
    await page.context().close();
  }, 120_000);
});
