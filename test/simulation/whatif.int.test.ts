import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { budgetKeys } from '@shotcaller/budget';
import { readShotFiles, runCli, validateEntries } from '@shotcaller/cli';
import { ConsentRegistry } from '@shotcaller/compliance';
import { ConsentRecord, type ShotRequest } from '@shotcaller/contracts';
import { repoRoot } from '@shotcaller/engines';
import { eventLogKeys } from '@shotcaller/events';
import { estimateRoutes, parseRateCards } from '@shotcaller/routing';
import { SimulationReport } from '@shotcaller/simulation';
import { eventually } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { runShotcaller, tokens } from '../support/shotcaller';

const examples = join(repoRoot(), 'examples');
const read = (file: string) => readFileSync(join(examples, file), 'utf8');
const rates = parseRateCards(read('rate-cards.yaml'), 'rate-cards.yaml');

let app: Awaited<ReturnType<typeof runShotcaller>>;
let shots: Array<{ id: string; request: ShotRequest; state: string; route?: string; usage: number }>;

beforeAll(async () => {
  app = await runShotcaller(['api', 'router', 'genai-worker', 'budget', 'compliance'], {
    routing: { policyFile: join(examples, 'policy.yaml'), rateCardsFile: join(examples, 'rate-cards.yaml') },
    budget: { linesFile: join(examples, 'budget-lines.yaml') },
  });
  const registry = new ConsentRegistry(app.running.redis, app.deployment);
  for (const c of z.object({ consents: z.array(ConsentRecord) }).parse(parseYaml(read('consents.yaml')))
    .consents)
    await registry.recordConsent(c);
  const { valid } = validateEntries(readShotFiles([join(examples, 'sequence.yaml')]));
  const reply = await app.client().submitBatch(valid.map((v) => v.request));
  const ids = reply.results.map((r) => r.shotId!);
  const settled = await eventually(
    () => Promise.all(ids.map((id) => app.client().getShot(id))),
    (all) =>
      all.every(
        (s) => ['held', 'delivered'].includes(s.state) || (s.state === 'queued' && s.route === 'vendor'),
      ),
    'the demo show routed and generated',
    120_000,
  );
  shots = settled.map((s) => ({
    id: s.id,
    request: s.request,
    state: s.state,
    ...(s.route ? { route: s.route } : {}),
    usage: (s.history ?? [])
      .filter((e) => e.type === 'io.shotcaller.genai.usage.recorded.v1')
      .reduce((n, e) => n + (e.data as { cost: { amountMinor: number } }).cost.amountMinor, 0),
  }));
  await eventually(
    () => app.client(tokens.accountant).request('GET', '/v1/budgets?show=NTH', z.any()),
    (r) => r.data.total[0]?.shots === 20 && r.data.total[0].actual === shots.reduce((n, s) => n + s.usage, 0),
    'the ledger caught up',
  );
}, 180_000);
afterAll(() => app?.running.stop());

/** Everything the what-if must not touch: the log and the ledger, as Redis DUMPs. */
async function liveState(): Promise<Record<string, string>> {
  const redis = app.running.redis;
  const keys = [eventLogKeys(app.deployment).stream, eventLogKeys(app.deployment).ids];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(
      cursor,
      'MATCH',
      `${budgetKeys(app.deployment).prefix}*`,
      'COUNT',
      1000,
    );
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  const out: Record<string, string> = {};
  for (const k of keys.sort()) out[k] = ((await redis.dumpBuffer(k)) ?? Buffer.alloc(0)).toString('base64');
  return out;
}

const simulateWith = (policyFile: string) =>
  app
    .client(tokens.accountant)
    .request('POST', '/v1/simulations', SimulationReport, { show: 'NTH', policy: read(policyFile) })
    .then((r) => r.data);

describe('what-if on the demo show', () => {
  it('matches an independent computation under all-vendor and genai-where-eligible, and changes nothing live', async () => {
    const before = await liveState();
    const estimate = (s: (typeof shots)[number], route: 'genai' | 'vendor') =>
      estimateRoutes(s.request, rates)[route].cost.amountMinor;
    const actualFigure = (s: (typeof shots)[number]) =>
      s.state === 'held' ? 0 : s.route === 'genai' ? s.usage : estimate(s, 'vendor');
    const actualTotal = shots.reduce((n, s) => n + actualFigure(s), 0);

    const allVendor = await simulateWith('policies/all-vendor.yaml');
    expect(allVendor.shots).toHaveLength(20);
    // A TD's explicit request for AI still wins under all-vendor; those two shots stay held for consent and approval.
    const requestedGenai = shots
      .filter((s) => s.request.requestedRoute === 'genai')
      .map((s) => s.request.shot);
    expect(requestedGenai.sort()).toEqual(['COL_0070', 'COL_0080']);
    for (const s of allVendor.shots)
      expect([s.shot, s.candidate.route, s.candidate.basis]).toEqual(
        requestedGenai.includes(s.shot) ? [s.shot, 'held', 'held'] : [s.shot, 'vendor', 'estimate'],
      );
    expect(allVendor.totals.actual.cost).toBe(actualTotal);
    expect(allVendor.totals.candidate.cost).toBe(
      shots
        .filter((s) => !requestedGenai.includes(s.request.shot))
        .reduce((n, s) => n + estimate(s, 'vendor'), 0),
    );
    expect(allVendor.compliance).toMatchObject({ actualHolds: 3, candidateHolds: 2, newHolds: [] });
    const line = allVendor.budgetLines.find((l) => l.lineId === 'NTH-EP01-VFX')!;
    expect(line).toMatchObject({ actual: actualTotal, candidate: allVendor.totals.candidate.cost });

    const eligible = await simulateWith('policies/genai-where-eligible.yaml');
    const byShot = new Map(eligible.shots.map((s) => [s.shot, s]));
    // Marcus's shot was requested for AI and has no consent on file: held under either policy.
    expect(byShot.get('COL_0070')!.candidate).toMatchObject({ route: 'held', decidedBy: 'requested' });
    expect(byShot.get('COL_0010')!.candidate).toMatchObject({ route: 'genai', basis: 'actual' });
    const independent = shots.reduce((n, s) => {
      const c = byShot.get(s.request.shot)!.candidate;
      if (c.route === 'held') return n;
      if (c.route === 'genai' && s.route === 'genai' && s.state === 'delivered') return n + s.usage;
      return n + estimate(s, c.route as 'genai' | 'vendor');
    }, 0);
    expect(eligible.totals.candidate.cost).toBe(independent);
    const reused = eligible.shots.filter((s) => s.candidate.basis === 'actual');
    expect(reused.length).toBe(shots.filter((s) => s.route === 'genai' && s.state === 'delivered').length);
    expect(eligible.totals.actual.cost).toBe(actualTotal);

    expect(await liveState()).toEqual(before);
  }, 120_000);

  it('is a CLI command with a table, and CSV one row per shot', async () => {
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const code = await runCli(
        ['simulate', '--show', 'NTH', '--policy', join(examples, 'policies/all-vendor.yaml'), ...args],
        {
          out: (t) => out.push(t),
          err: (t) => out.push(t),
          tty: false,
        },
        { SHOTCALLER_API_URL: app.running.apiUrl!, SHOTCALLER_TOKEN: tokens.accountant },
      );
      return { code, text: out.join('\n') };
    };
    const table = await run();
    expect(table.code).toBe(0);
    expect(table.text).toMatch(/SHOTS WHOSE ROUTE WOULD CHANGE \(\d+ of 20\)/);
    expect(table.text).toContain('NTH-EP01-VFX');
    const csv = await run('--csv');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toMatch(/^shot_id,episode,sequence,shot,/);
    expect(lines).toHaveLength(21);
  });

  it('refuses a policy that does not parse, saying where', async () => {
    const error = await app
      .client(tokens.accountant)
      .request('POST', '/v1/simulations', z.any(), { show: 'NTH', policy: 'version: 1\nid: Bad Id\n' })
      .catch((e) => e);
    expect(error.status).toBe(400);
    expect(error.problem.detail).toMatch(/candidate policy/);
  });

  it('is not for vendors', async () => {
    const error = await app
      .client(tokens.vendorA)
      .request('POST', '/v1/simulations', z.any(), { show: 'NTH', policy: read('policies/all-vendor.yaml') })
      .catch((e) => e);
    expect(error.status).toBe(403);
  });
});
