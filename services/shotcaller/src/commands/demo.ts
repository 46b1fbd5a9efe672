import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompliancePartitions } from '@shotcaller/compliance';
import {
  type BudgetRollupRow,
  BudgetView,
  ConsentRecord,
  formatMoney,
  type Money,
  type ShotView as Shot,
} from '@shotcaller/contracts';
import { EventLog } from '@shotcaller/events';
import { loadConfig } from '@shotcaller/platform';
import { C2PA_SPEC_VERSION, verifyOptionsFor } from '@shotcaller/provenance';
import { ShotcallerClient } from '@shotcaller/sdk';
import { createArtifactStore } from '@shotcaller/storage';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { examplesDir } from '../examples';
import { table } from '../output';
import { startShotcaller } from '../runtime/shotcaller-process';
import { readShotFiles, validateEntries } from '../shot-files';
import { demoVendors, ledgerRows, playVendorTickets, vendorTicketTable } from './demo-vendors';
import type { CommandContext } from './shots';
import { verifyFile } from './verify';

/** Where a demo shot waits before the vendors play: AI work delivered, a vendor ticket open, or held. */
const settled = (s: Shot) =>
  ['held', 'delivered', 'approved', 'cancelled', 'failed'].includes(s.state) ||
  (s.state === 'in-progress' && s.route === 'vendor' && !!s.vendorWorkflowId);

/** Each demo vendor's token, derived from the run's producer token so it is fresh every run. */
let vendorToken: (id: string) => string = () => '';

export function registerDemoCommand(program: Command, ctx: CommandContext): void {
  program
    .command('demo')
    .description(
      'play the demo production (examples/): its own Redis, every role in this process, a 20-shot collapse sequence',
    )
    .option('--serve', 'keep running after the summary, so the API can be explored')
    .option('--port <port>', 'API port with --serve', '8080')
    .action(async (opts: { serve?: boolean; port: string }) => {
      const { hashToken } = await import('@shotcaller/api');
      const examples = examplesDir();
      const token = `sc_demo_${randomBytes(12).toString('hex')}`;
      vendorToken = (id) => `${token}_${id}`;
      const dataDir = mkdtempSync(join(tmpdir(), 'shotcaller-demo-'));
      // The peso rates of the demo's own dates, as the production's bank would send them.
      const ratesFile = join(dataDir, 'fx-rates.csv');
      writeFileSync(ratesFile, demoRates(new Date()));
      const config = loadConfig({
        env: { ...process.env, REDIS_URL: '', TEMPORAL_ADDRESS: '' },
        overrides: {
          deployment: 'demo',
          dataDir,
          log: { level: 'warn' },
          api: { port: opts.serve ? Number(opts.port) : 0 },
          routing: {
            policyFile: join(examples, 'policy.yaml'),
            rateCardsFile: join(examples, 'rate-cards.yaml'),
          },
          budget: { linesFile: join(examples, 'budget-lines.yaml'), ratesFile },
          auth: {
            tokens: [
              { name: 'demo producer', sha256: hashToken(token), role: 'admin', shows: ['*'] },
              ...demoVendors.map((v) => ({
                name: v.id,
                sha256: hashToken(vendorToken(v.id)),
                role: 'vendor' as const,
                shows: ['NTH'],
                vendorId: v.id,
              })),
            ],
          },
          vendor: { vendors: demoVendors.map((v) => v.id) },
        },
      });
      ctx.io.out(
        'Starting Shotcaller: its own redis-server and Temporal dev server, then every role (api, router, genai-worker, vendor-worker, temporal-worker, budget, compliance, notifier)…',
      );
      const running = await startShotcaller(config);
      ctx.io.out(genaiProviders(config.genai.providers));
      try {
        const client = new ShotcallerClient({ baseUrl: running.apiUrl!, token });
        const registry = new CompliancePartitions(running.redis, running.partitions);
        const consents = z
          .strictObject({ consents: z.array(ConsentRecord) })
          .parse(parseYaml(readFileSync(join(examples, 'consents.yaml'), 'utf8')));
        for (const c of consents.consents) await registry.recordConsent(c);
        ctx.io.out(`Recorded ${consents.consents.length} consent(s) from examples/consents.yaml.`);

        const { valid, problems } = validateEntries(readShotFiles([join(examples, 'sequence.yaml')]));
        if (problems.length > 0)
          throw new Error(`examples/sequence.yaml has invalid shots: ${JSON.stringify(problems)}`);
        const reply = await client.submitBatch(valid.map((v) => v.request));
        const ids = reply.results.map((r) => r.shotId!);
        ctx.io.out(`Submitted ${ids.length} shots of NTH / EP01 / COL.`);

        const routed = await waitForRouting(client, ids, ctx);
        // The budget line is in the ledger by the time its shots are routed.
        await recordBudgetVersions(client);
        const played = await playVendorTickets(routed, {
          producer: client,
          vendor: (id) => new ShotcallerClient({ baseUrl: running.apiUrl!, token: vendorToken(id) }),
        });
        ctx.io.out(
          `The vendors bid on, delivered and invoiced ${played.length} ticket(s) through the vendor API, each in its own currency (${demoVendors.map((v) => `${v.id} ${v.currency}`).join(', ')}).`,
        );
        const shots = await Promise.all(ids.map((id) => client.getShot(id)));
        ctx.io.out(summary(shots, await checkCredentials(shots, config)));
        const log = new EventLog(running.redis, { deployment: running.partitions.keyspaceOfShow('NTH') });
        await consumersCaughtUp(log);
        const rc = (await budgetView(client)).reportingCurrency ?? '-';
        ctx.io.out(
          [
            '',
            `VENDOR TICKETS (Temporal workflows; each amount as billed, and in the reporting currency ${rc} as the ledger converted it at the rate of its day)`,
            table(
              [
                'shot',
                'bids',
                'awarded to',
                'award',
                `in ${rc}`,
                'review rounds',
                'invoice',
                `in ${rc}`,
                'ticket',
              ],
              vendorTicketTable(played, await ledgerRows(client)),
            ),
          ].join('\n'),
        );
        ctx.io.out(await ledger(client, log));
        if (!opts.serve)
          ctx.io.out(
            `\nDashboard: ${running.apiUrl}/ while the demo runs; \`pnpm demo --serve\` keeps it (and the API) up after the summary.`,
          );
        if (opts.serve) {
          ctx.io.out(
            `\nDashboard: ${running.apiUrl}/ — sign in with the token ${token} (admin: every page).\nAPI: ${running.apiUrl}; try:\n  SHOTCALLER_API_URL=${running.apiUrl} SHOTCALLER_TOKEN=${token} pnpm shotcaller list\nCtrl-C to stop.`,
          );
          await new Promise<void>((resolve) => {
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
          });
        }
      } finally {
        await running.stop();
      }
    });
}

interface CheckedCredentials {
  frames: number;
  /** Frames the genai worker recorded with credentials (embedded or a sidecar). */
  signed: number;
  checked: number;
  valid: number;
  ai: number;
  consents: string[];
  signer?: string;
}

/** Delivered AI frames read back from the store, their Content Credentials verified on this machine. */
async function checkCredentials(
  shots: Shot[],
  config: ReturnType<typeof loadConfig>,
): Promise<Map<string, CheckedCredentials>> {
  const options = await verifyOptionsFor(config.provenance, join(config.dataDir, 'content-credentials'));
  const store = createArtifactStore(config.storage, config.dataDir);
  const out = new Map<string, CheckedCredentials>();
  for (const s of shots.filter((x) => x.state === 'delivered')) {
    const done = s.history?.find((e) => e.type === 'io.shotcaller.genai.task.completed.v2')?.data as
      | { outputs: Array<{ uri: string; credentials?: unknown }> }
      | undefined;
    if (!done) continue;
    const n = done.outputs.length;
    // Every frame was signed before it was published; reading back the first, middle and last keeps the demo quick.
    const sample = [...new Set([0, n >> 1, n - 1])].filter((i) => i >= 0).map((i) => done.outputs[i]!);
    const checked: CheckedCredentials = {
      frames: n,
      signed: done.outputs.filter((o) => o.credentials).length,
      checked: sample.length,
      valid: 0,
      ai: 0,
      consents: [],
    };
    for (const o of sample) {
      const path = store.paths(store.keyOf(o.uri))[0] ?? fileURLToPath(o.uri);
      const r = await verifyFile(path, options);
      if (r.verdict === 'valid') checked.valid++;
      if (r.aiGenerated) checked.ai++;
      checked.signer ??= r.signer?.subject.match(/CN=([^,]+)/)?.[1];
      const consents = (r.shotcaller?.compliance as { consentIds?: string[] } | undefined)?.consentIds ?? [];
      for (const c of consents) if (!checked.consents.includes(c)) checked.consents.push(c);
    }
    out.set(s.id, checked);
  }
  return out;
}

async function waitForRouting(client: ShotcallerClient, ids: string[], ctx: CommandContext): Promise<Shot[]> {
  const bar = ctx.io.tty
    ? new SingleBar(
        { format: 'routing and generating [{bar}] {value}/{total} shots' },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(ids.length, 0);
  const deadline = Date.now() + 120_000;
  for (;;) {
    // One list call per look rather than one call per shot: it keeps the demo well inside the read limit.
    const byId = new Map<string, Shot>();
    for await (const shot of client.allShots({ show: 'NTH', limit: 500 })) byId.set(shot.id, shot);
    const shots = ids.map((id) => byId.get(id)).filter((s): s is Shot => s !== undefined);
    const done = shots.filter(settled).length;
    bar?.update(done);
    if (done === ids.length) {
      bar?.stop();
      if (!bar) ctx.io.out(`routed ${done}/${ids.length} shots`);
      return shots;
    }
    if (Date.now() > deadline)
      throw new Error(`Only ${done} of ${ids.length} shots were routed within a minute`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function summary(shots: Shot[], credentials: Map<string, CheckedCredentials>): string {
  const out: string[] = ['', 'ROUTES AND REASONS'];
  out.push(
    table(
      ['shot', 'category', 'deliv.', 'route', 'state', 'decided by', 'genai est.', 'vendor est.'],
      shots.map((s) => [
        s.request.shot,
        s.request.category,
        s.request.deliverable,
        s.route ?? '',
        s.state,
        s.decision?.decidedBy ?? '',
        s.decision ? formatMoney(s.decision.estimates.genai.cost) : '',
        s.decision ? formatMoney(s.decision.estimates.vendor.cost) : '',
      ]),
    ),
  );
  const held = shots.filter((s) => s.state === 'held');
  out.push('', `COMPLIANCE HOLDS (${held.length})`);
  for (const s of held) {
    out.push(`${s.request.shot}: ${s.request.brief}`);
    for (const f of s.precheck?.findings.filter(
      (f) => !f.satisfied && f.action !== 'record' && f.action !== 'disclose',
    ) ?? []) {
      out.push(`  ${f.action.toUpperCase()} ${f.ruleId} — ${f.reason}`);
      out.push(`    source: ${f.source}`);
      for (const m of f.missing) out.push(`    missing ${m.kind}: ${m.description}`);
    }
  }
  const delivered = shots.filter((s) => s.state === 'delivered');
  out.push(
    '',
    `AI WORK DELIVERED (${delivered.length}), every frame signed with Content Credentials (C2PA ${C2PA_SPEC_VERSION}) before it was published`,
  );
  out.push(
    table(
      ['shot', 'frames', 'estimate', 'actual', 'credentials checked'],
      delivered.map((s) => {
        const usage = s.history?.find((e) => e.type === 'io.shotcaller.genai.usage.recorded.v1')?.data as
          | { cost: Money }
          | undefined;
        const checked = credentials.get(s.id);
        return [
          s.request.shot,
          checked?.frames,
          s.decision ? formatMoney(s.decision.estimates.genai.cost) : '',
          usage ? formatMoney(usage.cost) : '',
          checked
            ? `${checked.valid} of ${checked.checked} read back valid${checked.ai === checked.checked ? ', AI-made' : ''}${checked.consents.length > 0 ? `, consent ${checked.consents.join(', ')}` : ''}`
            : '',
        ];
      }),
    ),
  );
  const all = [...credentials.values()];
  const frames = all.reduce((n, c) => n + c.frames, 0);
  const signed = all.reduce((n, c) => n + c.signed, 0);
  const checked = all.reduce((n, c) => n + c.checked, 0);
  const valid = all.reduce((n, c) => n + c.valid, 0);
  const signer = all.find((c) => c.signer)?.signer;
  out.push(
    `Content Credentials: ${signed} of ${frames} AI frames carry a signed C2PA manifest; ${valid} of the ${checked} read back (first, middle and last of each shot) verify valid (signature and hash binding), each stating c2pa.created by a trained algorithm, its references as ingredients, the routing and consents it relied on, and training and data mining not allowed.`,
  );
  if (signer)
    out.push(
      `  Signed by ${signer}${/development/i.test(signer) ? ': the development certificate Shotcaller makes when none is configured, which no C2PA validator trusts (docs/provenance.md says how a studio gets one that is)' : ''}. Check any frame with \`shotcaller verify FILE\`.`,
    );
  const allowedWithConsent = shots.filter((s) => (s.precheck?.consentIds.length ?? 0) > 0);
  for (const s of allowedWithConsent)
    out.push(`${s.request.shot}: allowed on consent ${s.precheck!.consentIds.join(', ')}`);

  const currency = shots.find((s) => s.decision)?.decision?.estimates.genai.cost.currency ?? 'USD';
  const sum = (pick: (s: Shot) => number) => shots.reduce((n, s) => n + pick(s), 0);
  const chosen = (route: 'genai' | 'vendor') =>
    sum((s) =>
      s.route === route && s.state !== 'held' && s.decision
        ? s.decision.estimates[route].cost.amountMinor
        : 0,
    );
  const count = (route: 'genai' | 'vendor') =>
    shots.filter((s) => s.route === route && s.state !== 'held').length;
  const allVendor = sum((s) =>
    s.state !== 'held' ? (s.decision?.estimates.vendor.cost.amountMinor ?? 0) : 0,
  );
  const plan = chosen('genai') + chosen('vendor');
  const money = (n: number) => formatMoney({ amountMinor: n, currency });
  out.push('', 'ESTIMATED COST OF THE ROUTING (routed shots, chosen route)');
  out.push(
    table(
      ['route', 'shots', 'estimate'],
      [
        ['genai', count('genai'), money(chosen('genai'))],
        ['vendor', count('vendor'), money(chosen('vendor'))],
        ['held (not yet costed)', held.length, ''],
        ['total as routed', shots.length - held.length, money(plan)],
        ['the same shots, all to vendors', shots.length - held.length, money(allVendor)],
      ],
    ),
  );
  return out.join('\n');
}

/** Pesos per dollar on the demo's day and the six before it (a weekend or holiday still finds one). */
function demoRates(today: Date): string {
  const lines = ['date,from,to,rate'];
  for (let back = 6; back >= 0; back--) {
    const day = new Date(today.getTime() - back * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${day},USD,ARS,${(118_725 + (6 - back) * 150) / 100}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The line's budget as the production made it: the Buenos Aires producer's bid in pesos, then the
 * budget the streamer locked in dollars, which is the line's budget now.
 */
async function recordBudgetVersions(client: ShotcallerClient): Promise<void> {
  const path = '/v1/budgets/lines/NTH-EP01-VFX/versions';
  await client.request('PUT', `${path}/bid`, z.unknown(), {
    show: 'NTH',
    currency: 'ARS',
    amount: '205000000.00',
    note: 'the Buenos Aires producer’s bid',
  });
  await client.request('PUT', `${path}/locked`, z.unknown(), {
    show: 'NTH',
    currency: 'USD',
    amount: '180000.00',
    current: true,
    note: 'locked with the streamer',
  });
}

/** Whether the budget and compliance consumers have applied every event so far. */
function caughtUp(groups: Awaited<ReturnType<EventLog['groups']>>): boolean {
  return ['budget', 'compliance'].every((name) =>
    groups.some((g) => g.name === name && g.lag === 0 && g.pending === 0),
  );
}

/** Waits for the budget and compliance consumers to apply every event so far. */
async function consumersCaughtUp(log: EventLog): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!caughtUp(await log.groups())) {
    if (Date.now() > deadline)
      throw new Error('The budget and compliance consumers did not catch up within 30 seconds');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const budgetView = async (client: ShotcallerClient) =>
  (await client.request('GET', '/v1/budgets?show=NTH', BudgetView)).data;

/** The accountant's view once the budget tracker has applied every event: lines, routes, threshold alerts. */
async function ledger(client: ShotcallerClient, log: EventLog): Promise<string> {
  await consumersCaughtUp(log);
  const data = await budgetView(client);
  const m = (n: number | undefined, c: string) =>
    n === undefined ? '' : formatMoney({ amountMinor: n, currency: c });
  const rows = (rs: BudgetRollupRow[]) =>
    rs.map((r) => [
      r.key,
      r.shots,
      m(r.budget, r.currency),
      m(r.estimate, r.currency),
      m(r.committed, r.currency),
      m(r.actual, r.currency),
      m(r.efc, r.currency),
      m(r.variance, r.currency),
      r.originalCurrencies.join(' '),
    ]);
  const head = ['shots', 'budget', 'estimate', 'committed', 'actual', 'EFC', 'variance', 'billed in'];
  const out = [
    '',
    `COST REPORT (the live ledger, in the reporting currency ${data.reportingCurrency ?? '-'}; each cost converts from the currency it was billed in at the rate of its own day)`,
    table(['line', ...head], rows(data.lines)),
    table(['route', ...head], rows(data.byRoute)),
  ];
  for (const l of data.versions) {
    out.push(
      '',
      `BUDGET VERSIONS OF ${l.lineId} (each as recorded, and in ${l.currency} at the rate of its day, against EFC ${m(l.efc, l.currency)})`,
      table(
        ['version', 'as recorded', `in ${l.currency}`, 'variance', ''],
        l.versions.map((v) => [
          v.version,
          formatMoney(v.amount),
          v.budget === null ? 'no rate' : m(v.budget, l.currency),
          v.variance === null ? '' : m(v.variance, l.currency),
          v.current ? 'current' : '',
        ]),
      ),
    );
  }
  const alerts: string[] = [];
  for await (const { event } of log.replay()) {
    if (event.type === 'io.shotcaller.budget.threshold.crossed.v1') {
      alerts.push(
        `  ${event.data.lineId} ${event.data.direction === 'up' ? 'crossed' : 'fell under'} ${event.data.thresholdPercent}% (EFC ${formatMoney(event.data.value)} of ${formatMoney(event.data.budget)})`,
      );
    }
  }
  out.push('', `BUDGET ALERTS (${alerts.length})`, ...alerts);
  const { data: inbox } = await client.request(
    'GET',
    '/v1/compliance/alerts?status=raised',
    z.object({
      alerts: z.array(z.object({ severity: z.string(), ruleId: z.string(), message: z.string() }).loose()),
    }),
  );
  out.push(
    '',
    `COMPLIANCE ALERTS IN THE OFFICERS' INBOX (${inbox.alerts.length})`,
    ...inbox.alerts.map((a) => `  [${a.severity}] ${a.ruleId}: ${a.message}`),
  );
  return out.join('\n');
}

/** The demo's genai providers, and the settings that add a studio's own (docs/genai.md). */
function genaiProviders(providers: ReadonlyArray<{ name: string; kind: string }>): string {
  return [
    `GenAI providers (genai.providers): ${providers.map((p) => `${p.name} (${p.kind})`).join(', ')}.`,
    '  A studio ComfyUI is { name, kind: comfyui, baseUrl, workflowFile } with a workflow exported in API format;',
    '  Replicate or fal is { name, kind: http-task, httpTask: { preset: replicate | fal, apiKey, model, input } }.',
    '  `shotcaller genai check NAME` tries one before shots go to it; docs/genai.md has every setting.',
  ].join('\n');
}
