import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { json, table } from '../output';
import type { CommandContext } from './shots';

const Alert = z
  .object({
    alertId: z.string(),
    severity: z.string(),
    status: z.string(),
    ruleId: z.string(),
    shotId: z.string().optional(),
    message: z.string(),
  })
  .loose();

export function registerComplianceCommands(program: Command, ctx: CommandContext): void {
  const alerts = program.command('alerts').description('compliance alerts');
  alerts
    .command('list', { isDefault: true })
    .description('open alerts first, by severity')
    .option('--status <status>', 'raised, acknowledged, resolved or waived')
    .option('--show <code>')
    .action(async (opts: { status?: string; show?: string }) => {
      const qs = new URLSearchParams(
        Object.entries(opts).filter(([, v]) => v !== undefined) as [string, string][],
      ).toString();
      const { data } = await ctx
        .client()
        .request('GET', `/v1/compliance/alerts${qs ? `?${qs}` : ''}`, z.object({ alerts: z.array(Alert) }));
      if (ctx.asJson()) return ctx.io.out(json(data));
      ctx.io.out(
        table(
          ['alert', 'severity', 'status', 'rule', 'shot', 'message'],
          data.alerts.map((a) => [a.alertId, a.severity, a.status, a.ruleId, a.shotId, a.message]),
        ),
      );
    });
  alerts
    .command('ack')
    .argument('<id>')
    .option('--note <text>', 'a note for the trail', '')
    .action(async (id: string, opts: { note: string }) => {
      const { data } = await ctx
        .client()
        .request('POST', `/v1/compliance/alerts/${encodeURIComponent(id)}/ack`, Alert, { note: opts.note });
      ctx.io.out(ctx.asJson() ? json(data) : `${data.alertId} is ${data.status}`);
    });
  alerts
    .command('resolve')
    .argument('<id>')
    .requiredOption('--reason <text>', 'why (kept in the audit trail)')
    .option('--waive', 'waive rather than resolve')
    .action(async (id: string, opts: { reason: string; waive?: boolean }) => {
      const { data } = await ctx
        .client()
        .request('POST', `/v1/compliance/alerts/${encodeURIComponent(id)}/resolve`, Alert, {
          resolution: opts.waive ? 'waived' : 'resolved',
          reason: opts.reason,
        });
      ctx.io.out(ctx.asJson() ? json(data) : `${data.alertId} is ${data.status}`);
    });

  const consent = program.command('consent').description('performer consents');
  consent
    .command('add')
    .description('record a consent from a JSON or YAML file; shots held for it are released')
    .argument('<file>')
    .action(async (file: string) => {
      const { data } = await ctx
        .client()
        .request(
          'POST',
          '/v1/consents',
          z.object({ id: z.string() }).loose(),
          parseYaml(readFileSync(file, 'utf8')),
        );
      ctx.io.out(ctx.asJson() ? json(data) : `recorded consent ${data.id}`);
    });
  consent
    .command('revoke')
    .argument('<id>')
    .requiredOption('--reason <text>', 'why')
    .action(async (id: string, opts: { reason: string }) => {
      const { data } = await ctx
        .client()
        .request(
          'DELETE',
          `/v1/consents/${encodeURIComponent(id)}`,
          z.object({ shotsRelyingOnIt: z.array(z.string()) }).loose(),
          { reason: opts.reason },
        );
      ctx.io.out(
        ctx.asJson()
          ? json(data)
          : `revoked ${id}; shots that relied on it: ${data.shotsRelyingOnIt.join(', ') || 'none'}`,
      );
    });
}
