import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashToken } from '@shotcaller/api';
import { readShotFiles, runCli, validateEntries } from '@shotcaller/cli';
import { ConsentRegistry } from '@shotcaller/compliance';
import { ConsentRecord, type RoutingDecision, type ShotRequest } from '@shotcaller/contracts';
import { repoRoot } from '@shotcaller/engines';
import { EventLog } from '@shotcaller/events';
import type { TokenEntry } from '@shotcaller/platform';
import { LabourImpactReport } from '@shotcaller/reports';
import { estimateRoutes, parseRateCards } from '@shotcaller/routing';
import { SimulationReport } from '@shotcaller/simulation';
import { eventually } from '@shotcaller/testkit';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { runShotcaller, tokenEntries, tokens } from '../support/shotcaller';

const examples = join(repoRoot(), 'examples');
const read = (file: string) => readFileSync(join(examples, file), 'utf8');
const rates = parseRateCards(read('rate-cards.yaml'), 'rate-cards.yaml');
const otherShowToken = 'tok-accountant-other-show';

let app: Awaited<ReturnType<typeof runShotcaller>>;
let shots: Array<{ id: string; request: ShotRequest }>;
let rejectedIds: string[];
let overriddenId: string;
let loggedId: string;

const cli = async (token: string, ...args: string[]) => {
  const out: string[] = [];
  const code = await runCli(
    args,
    { out: (t) => out.push(t), err: (t) => out.push(t), tty: false },
    { SHOTCALLER_API_URL: app.running.apiUrl!, SHOTCALLER_TOKEN: token },
  );
  return { code, text: out.join('\n') };
};

beforeAll(async () => {
  app = await runShotcaller(['api', 'router', 'genai-worker', 'budget', 'compliance'], {
    routing: { policyFile: join(examples, 'policy.yaml'), rateCardsFile: join(examples, 'rate-cards.yaml') },
    budget: { linesFile: join(examples, 'budget-lines.yaml') },
    auth: {
      tokens: [
        ...tokenEntries(),
        {
          name: 'olga (accountant, OTH)',
          sha256: hashToken(otherShowToken),
          role: 'accountant',
          shows: ['OTH'],
        },
      ] as TokenEntry[],
    },
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
  shots = settled.map((s) => ({ id: s.id, request: s.request }));
  // What a production does next: a supervisor rejects two AI shots (they go on to vendors), a TD moves
  // the hero vendor shot to AI (a final deliverable: compliance holds it for written approval), and
  // artist time is logged on another AI shot.
  const delivered = settled.filter((s) => s.state === 'delivered' && s.route === 'genai');
  rejectedIds = [delivered[0]!.id, delivered[2]!.id];
  loggedId = delivered[1]!.id;
  overriddenId = settled.find((s) => s.request.shot === 'COL_0030')!.id;
  for (const id of rejectedIds) await app.client().reject(id, 'the dust reads as smoke; needs a sim');
  await app.client().override(overriddenId, 'genai', 'the vendor is booked out until March');
  for (const [hours, recordId] of [
    [3.5, 'day-1'],
    [3.5, 'day-1'], // a retried call: counted once
    [2.25, 'day-2'],
  ] as const)
    expect(
      (await cli(tokens.td, 'artist-time', loggedId, '--hours', String(hours), '--record-id', recordId)).code,
    ).toBe(0);
  await eventually(
    () => Promise.all([...rejectedIds, overriddenId].map((id) => app.client().getShot(id))),
    (all) =>
      all.every((s) =>
        s.id === overriddenId ? s.state === 'held' : s.state === 'queued' && s.route === 'vendor',
      ),
    'the rejected shots routed to vendors and the overridden one held',
    90_000,
  );
}, 300_000);
afterAll(() => app?.running.stop());

/** An independent reading of the log: each shot's last routing, and whether its work was taken back from AI. */
async function fromTheLog() {
  const state = new Map<
    string,
    {
      side?: 'genai' | 'vendor' | 'held';
      decision?: RoutingDecision;
      returned: boolean;
      hours: number;
      wasAtVendor: boolean;
      fromVendor: boolean;
    }
  >();
  const of = (id: string) => {
    if (!state.has(id)) state.set(id, { returned: false, hours: 0, wasAtVendor: false, fromVendor: false });
    return state.get(id)!;
  };
  for await (const { event: e } of new EventLog(app.running.redis, { deployment: app.deployment }).replay()) {
    if (e.show !== 'NTH') continue;
    if (e.type === 'io.shotcaller.shot.routed.v1') {
      const s = of(e.data.shotId);
      s.side = e.data.decision.route;
      s.decision = e.data.decision;
      if (s.side === 'genai') Object.assign(s, { returned: false, fromVendor: s.wasAtVendor });
      else s.wasAtVendor = true;
    } else if (e.type === 'io.shotcaller.shot.held.v1') of(e.data.shotId).side = 'held';
    else if (
      e.type === 'io.shotcaller.shot.rerouted.v1' &&
      e.data.from === 'genai' &&
      e.data.to === 'vendor'
    ) {
      Object.assign(of(e.data.shotId), { side: 'vendor', returned: true });
    } else if (e.type === 'io.shotcaller.genai.artist-time.recorded.v1')
      of(e.data.shotId).hours += e.data.hours;
  }
  const all = [...state.values()];
  const ai = all.filter((s) => s.side === 'genai');
  const vendor = all.filter((s) => s.side === 'vendor');
  const sum = (list: typeof all, f: (s: (typeof all)[number]) => number) =>
    list.reduce((n, s) => n + f(s), 0);
  const days = (list: typeof all, f: (s: (typeof all)[number]) => number | undefined) =>
    sum(list, (s) => Math.round((f(s) ?? 0) * 100)) / 100;
  return {
    state,
    totals: {
      aiShots: ai.length,
      vendorWouldBeCost: sum(ai, (s) => s.decision!.estimates.vendor.cost.amountMinor),
      vendorArtistDaysNotContracted: days(ai, (s) => s.decision!.estimates.vendor.labour?.artistDays),
      genaiEstimateCost: sum(ai, (s) => s.decision!.estimates.genai.cost.amountMinor),
      genaiArtistCost: sum(ai, (s) => s.decision!.estimates.genai.labour!.artistCost.amountMinor),
      genaiArtistDays: days(ai, (s) => s.decision!.estimates.genai.labour?.artistDays),
      actualArtistHours: sum(ai, (s) => s.hours),
      aiShotsWithActual: ai.filter((s) => s.hours > 0).length,
      aiShotsPreviouslyAtVendor: ai.filter((s) => s.fromVendor).length,
      vendorShots: vendor.length,
      vendorEstimateCost: sum(vendor, (s) => s.decision!.estimates.vendor.cost.amountMinor),
      vendorArtistDays: days(vendor, (s) => s.decision!.estimates.vendor.labour?.artistDays),
      returnedShots: vendor.filter((s) => s.returned).length,
      heldShots: all.filter((s) => s.side === 'held').length,
    },
  };
}

const report = (token: string, query = 'show=NTH') =>
  app
    .client(token)
    .request('GET', `/v1/reports/labour-impact?${query}`, LabourImpactReport)
    .then((r) => r.data);

describe('the labour impact report on the demo production', () => {
  it('has totals equal to an independent computation from the routed events on the log', async () => {
    const expected = await fromTheLog();
    const actual = await report(tokens.accountant);
    expect(actual.totals).toMatchObject(expected.totals);
    expect(actual.totals.aiShots).toBeGreaterThan(10);
    expect(actual.totals).toMatchObject({
      returnedShots: 2,
      heldShots: 4,
      actualArtistHours: 5.75,
      aiShotsWithActual: 1,
    });
    expect(actual.leftOut).toEqual({ cancelled: 0, notYetRouted: 0 });
    // The rate cards have not changed since routing, so the recorded vendor estimates are today's too.
    const aiRequests = shots.filter((s) => expected.state.get(s.id)!.side === 'genai').map((s) => s.request);
    expect(actual.totals.vendorWouldBeCost).toBe(
      aiRequests.reduce((n, r) => n + estimateRoutes(r, rates).vendor.cost.amountMinor, 0),
    );
    const byId = new Map(actual.shots.map((s) => [s.shotId, s]));
    for (const id of rejectedIds)
      expect(byId.get(id)).toMatchObject({
        side: 'vendor',
        returned: { cause: 'review-rejected', reason: expect.stringContaining('needs a sim') },
      });
    expect(byId.get(overriddenId)).toMatchObject({ side: 'held', returned: null });
    expect(byId.get(loggedId)).toMatchObject({ side: 'ai', actualArtistHours: 5.75 });
    // Every split adds up to the total.
    for (const split of [actual.bySequence, actual.byCategory, actual.byComplexity, actual.byWeek])
      expect(split.reduce((n, g) => n + g.aiShots + g.vendorShots + g.heldShots, 0)).toBe(20);
  });

  it('is for accountants, compliance officers and admins, on the shots their token may see', async () => {
    expect((await report(tokens.compliance)).totals.aiShots).toBe(
      (await report(tokens.admin)).totals.aiShots,
    );
    const td = await report(tokens.td).catch((e) => e);
    expect(td.status).toBe(403);
    const otherShow = await report(otherShowToken).catch((e) => e);
    expect(otherShow.status).toBe(403);
    expect(otherShow.problem.detail).toContain('NTH');
  });

  it('refuses a period that ends before it starts, naming the field', async () => {
    const error = await report(
      tokens.accountant,
      'show=NTH&from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z',
    ).catch((e) => e);
    expect(error.status).toBe(400);
    expect(JSON.stringify(error.problem)).toContain('to');
    expect(JSON.stringify(error.problem)).toContain('must be after from');
  });

  it('is a CLI table and the CSV a producer hands over as it is', async () => {
    const full = await report(tokens.accountant);
    const table = await cli(tokens.accountant, 'report', 'labour-impact', '--show', 'NTH');
    expect(table.code).toBe(0);
    expect(table.text).toContain(`${full.totals.aiShots} shot(s) went to AI`);
    expect(table.text).toContain('RETURNED FROM AI TO A VENDOR (2, counted once, on the vendor side)');
    const csv = await cli(tokens.accountant, 'report', 'labour-impact', '--show', 'NTH', '--csv');
    expect(csv.code).toBe(0);
    expect(csv.text.split('\r\n')[0]).toMatch(/^# Labour impact of routing work to generative AI — show NTH/);
    const rows = parseCsv(csv.text, { comment: '#', columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(20);
    expect(rows.filter((r) => r['Work went to (ai / vendor / held)'] === 'ai')).toHaveLength(
      full.totals.aiShots,
    );
    const json = await cli(tokens.accountant, '--json', 'report', 'labour-impact', '--show', 'NTH');
    expect(LabourImpactReport.parse(JSON.parse(json.text)).totals).toEqual(full.totals);
  });

  it('shows the same labour figures in a what-if, the candidate policy beside the actual', async () => {
    const full = await report(tokens.accountant);
    const { data } = await app
      .client(tokens.accountant)
      .request('POST', '/v1/simulations', SimulationReport, {
        show: 'NTH',
        policy: read('policies/all-vendor.yaml'),
      });
    expect(data.labour.actual).toEqual({ ...full.totals, key: 'actual' });
    // All-vendor sends no work to AI except what a TD asked for, which stays held for consent.
    expect(data.labour.candidate).toMatchObject({ aiShots: 0, vendorWouldBeCost: 0 });
    expect(data.labour.candidate.vendorShots + data.labour.candidate.heldShots).toBe(20);
  });
});
