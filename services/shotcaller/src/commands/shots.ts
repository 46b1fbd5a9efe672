import { formatMoney, type Route, type Shot, type ShotView } from '@shotcaller/contracts';
import type { ShotcallerClient } from '@shotcaller/sdk';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes';
import { type Io, json, table } from '../output';
import { readOneShot, readShotFiles, validateEntries } from '../shot-files';

export interface CommandContext {
  io: Io;
  client(): ShotcallerClient;
  asJson(): boolean;
  setExit(code: number): void;
}

const chunkSize = 100;

function shotRow(s: Shot) {
  return [
    s.id,
    s.show,
    `${s.request.sequence}/${s.request.shot}`,
    s.state,
    s.route ?? '',
    s.decision?.decidedBy ?? '',
    s.updatedAt,
  ];
}

export function describeShot(s: ShotView): string {
  const lines = [
    `${s.id}  ${[s.show, s.request.episode, `${s.request.sequence}/${s.request.shot}`].filter(Boolean).join(' ')}`,
    `  state      ${s.state}${s.route ? ` (route ${s.route}${s.provider ? `, ${s.provider}` : ''})` : ''}`,
    `  frames     ${s.request.frames.start}-${s.request.frames.end} @ ${s.request.fps} fps, ${s.request.resolution.width}x${s.request.resolution.height}`,
    `  category   ${s.request.category} (${s.request.complexity}), deliverable ${s.request.deliverable}`,
  ];
  if (s.decision) {
    const d = s.decision;
    lines.push(`  decided by ${d.decidedBy} (policy ${d.policyId} ${d.policyVersion.slice(0, 12)})`);
    for (const m of d.matchedRules) lines.push(`    - ${m.ruleId} → ${m.outcome}: ${m.reason}`);
    lines.push(
      `  genai      ${formatMoney(d.estimates.genai.cost)}, ${d.estimates.genai.turnaroundHours} h — ${d.estimates.genai.basis}`,
    );
    lines.push(
      `  vendor     ${formatMoney(d.estimates.vendor.cost)}, ${d.estimates.vendor.turnaroundHours} h — ${d.estimates.vendor.basis}`,
    );
    if (d.override) lines.push(`  override   by ${d.override.by} at ${d.override.at}: ${d.override.reason}`);
  }
  if (s.precheck && s.precheck.outcome === 'hold') {
    lines.push('  HELD by compliance:');
    for (const f of s.precheck.findings.filter((f) => !f.satisfied)) {
      lines.push(`    - ${f.ruleId} (${f.source}): ${f.reason}`);
      for (const m of f.missing) lines.push(`        missing ${m.kind}: ${m.description}`);
    }
  }
  if (s.lastError) lines.push(`  last error ${s.lastError}`);
  if (s.history?.length) {
    lines.push('  history');
    for (const e of s.history) lines.push(`    ${e.time}  ${e.type.replace(/^io\.shotcaller\./, '')}`);
  }
  return lines.join('\n');
}

export function registerShotCommands(program: Command, ctx: CommandContext): void {
  program
    .command('submit')
    .description(
      'submit shots from JSON, YAML or CSV files (a file with an invalid row submits nothing unless --partial)',
    )
    .argument('<files...>', 'shot files')
    .option('--partial', 'submit the valid shots even when some rows are invalid')
    .action(async (files: string[], opts: { partial?: boolean }) => {
      const { valid, problems } = validateEntries(readShotFiles(files));
      for (const p of problems) {
        for (const issue of p.issues)
          ctx.io.err(`${p.file}:${p.line}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`);
      }
      if (problems.length > 0 && !opts.partial) {
        ctx.io.err(
          `${problems.length} invalid shot(s); nothing was submitted (use --partial to submit the ${valid.length} valid ones)`,
        );
        ctx.setExit(exitCodes.failed);
        return;
      }
      const client = ctx.client();
      const bar =
        ctx.io.tty && !ctx.asJson() && valid.length > chunkSize
          ? new SingleBar({ format: 'submitting [{bar}] {value}/{total} shots' }, Presets.shades_classic)
          : undefined;
      bar?.start(valid.length, 0);
      const results: Array<{
        file: string;
        line: number;
        shotId?: string;
        status: string;
        code?: string;
        errors?: Array<{ path: string; message: string }>;
      }> = [];
      for (let i = 0; i < valid.length; i += chunkSize) {
        const chunk = valid.slice(i, i + chunkSize);
        const reply = await client.submitBatch(chunk.map((c) => c.request));
        for (const r of reply.results) {
          const entry = chunk[r.index]!;
          results.push({
            file: entry.file,
            line: entry.line,
            status: r.status,
            ...(r.shotId ? { shotId: r.shotId } : {}),
            ...(r.code ? { code: r.code } : {}),
            ...(r.errors ? { errors: r.errors } : {}),
          });
        }
        bar?.update(Math.min(i + chunkSize, valid.length));
      }
      bar?.stop();
      // A refused row names the shot that has its code (or key), and what to do instead.
      const refused = results.filter((r) => r.status === 'conflict');
      for (const r of refused)
        for (const e of r.errors ?? []) ctx.io.err(`${r.file}:${r.line}: ${r.code}: ${e.message}`);
      if (ctx.asJson()) ctx.io.out(json({ results, invalid: problems }));
      else {
        ctx.io.out(
          table(
            ['file:line', 'shot id', 'result'],
            results.map((r) => [`${r.file}:${r.line}`, r.shotId, r.status]),
          ),
        );
        const count = (status: string) => results.filter((r) => r.status === status).length;
        ctx.io.out(
          `${count('created')} created, ${count('existing')} already submitted, ${problems.length} invalid` +
            (refused.length ? `, ${refused.length} refused (see above)` : ''),
        );
      }
      if (problems.length > 0 || refused.length > 0) ctx.setExit(exitCodes.failed);
    });

  program
    .command('status')
    .description("a shot's state, route, decision with its reasons, and history")
    .argument('<id>', 'shot id')
    .action(async (id: string) => {
      const shot = await ctx.client().getShot(id);
      ctx.io.out(ctx.asJson() ? json(shot) : describeShot(shot));
    });

  program
    .command('list')
    .description('list shots, newest first')
    .option('--show <show>')
    .option('--state <state>')
    .option('--route <route>')
    .option('--limit <n>', 'at most this many', '50')
    .action(async (opts: { show?: string; state?: string; route?: string; limit: string }) => {
      const page = await ctx.client().listShots({
        ...(opts.show ? { show: opts.show } : {}),
        ...(opts.state ? { state: opts.state as never } : {}),
        ...(opts.route ? { route: opts.route as Route } : {}),
        limit: Number(opts.limit),
      });
      if (ctx.asJson()) ctx.io.out(json(page));
      else
        ctx.io.out(
          table(['id', 'show', 'shot', 'state', 'route', 'decided by', 'updated'], page.shots.map(shotRow)),
        );
    });

  program
    .command('watch')
    .description('print live events until interrupted')
    .option('--show <show>')
    .option('--type <prefixes>', 'comma-separated type prefixes, e.g. shot.,budget.')
    .option('--count <n>', 'stop after this many events')
    .action(async (opts: { show?: string; type?: string; count?: string }) => {
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      let seen = 0;
      for await (const { id, event } of ctx.client().events({
        ...(opts.show ? { show: opts.show } : {}),
        ...(opts.type ? { types: opts.type.split(',') } : {}),
        signal: abort.signal,
      })) {
        ctx.io.out(
          ctx.asJson()
            ? JSON.stringify({ id, event })
            : `${event.time}  ${event.type.replace(/^io\.shotcaller\./, '').padEnd(32)} ${event.subject ?? ''}`,
        );
        if (opts.count && ++seen >= Number(opts.count)) {
          abort.abort();
          break;
        }
      }
    });

  const steer = (
    name: string,
    description: string,
    run: (id: string, opts: Record<string, string>) => Promise<Shot>,
    options: Array<[string, string, 'required'?]> = [],
  ) => {
    const cmd = program.command(name).description(description).argument('<id>', 'shot id');
    for (const [flags, help, required] of options) {
      if (required) cmd.requiredOption(flags, help);
      else cmd.option(flags, help);
    }
    cmd.action(async (id: string, opts: Record<string, string>) => {
      const shot = await run(id, opts);
      ctx.io.out(
        ctx.asJson()
          ? json(shot)
          : `${shot.id} is now ${shot.state}${shot.forcedRoute ? ` (next route: ${shot.forcedRoute})` : ''}`,
      );
    });
  };
  steer(
    'override',
    'force a route for a shot (audited)',
    (id, o) => ctx.client().override(id, o.route as Route, o.reason!),
    [
      ['--route <route>', 'genai or vendor', 'required'],
      ['--reason <text>', 'why (kept in the audit trail)', 'required'],
    ],
  );
  steer(
    'revise',
    'replace the request of a shot whose work has not started with the one in a file (JSON, YAML, or a one-row CSV)',
    (id, o) => ctx.client().revise(id, readOneShot(o.file!)),
    [['--file <file>', 'the new request', 'required']],
  );
  steer('cancel', 'cancel a shot', (id, o) => ctx.client().cancel(id, o.reason!), [
    ['--reason <text>', 'why', 'required'],
  ]);
  steer('retry', 'route a failed or rejected shot again', (id) => ctx.client().retry(id));
  steer('approve', 'approve delivered work', (id, o) => ctx.client().approve(id, o.note ?? ''), [
    ['--note <text>', 'a note for the record'],
  ]);
  steer(
    'reject',
    'reject delivered work (AI work goes on to a vendor)',
    (id, o) => ctx.client().reject(id, o.note!),
    [['--note <text>', 'what is wrong', 'required']],
  );
}
