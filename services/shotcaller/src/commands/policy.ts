import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchingConsents, usesNeeded } from '@shotcaller/compliance';
import { type ConsentRecord, parseOrThrow, ShotRequest } from '@shotcaller/contracts';
import {
  checkPolicyAgainstRates,
  estimateRoutes,
  evaluatePolicy,
  explainDecision,
  parsePolicy,
  parseRateCards,
} from '@shotcaller/routing';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { examplesDir } from '../examples';
import { json } from '../output';
import type { CommandContext } from './shots';

const read = (file: string) => readFileSync(file, 'utf8');

export function registerPolicyCommands(program: Command, ctx: CommandContext): void {
  const policy = program
    .command('policy')
    .description('check and try routing policies without submitting anything');
  const ratesOption = (file?: string) => file ?? join(examplesDir(), 'rate-cards.yaml');

  policy
    .command('check')
    .description('validate a policy file (and that the rate cards price every provider it names)')
    .argument('<file>')
    .option('--rates <file>', 'rate cards (default: examples/rate-cards.yaml)')
    .action((file: string, opts: { rates?: string }) => {
      const parsed = parsePolicy(read(file), file);
      const rates = parseRateCards(read(ratesOption(opts.rates)), ratesOption(opts.rates));
      checkPolicyAgainstRates(parsed, rates);
      ctx.io.out(
        ctx.asJson()
          ? json({ ok: true, id: parsed.id, version: parsed.policyVersion, rules: parsed.rules.length })
          : `${file}: policy ${parsed.id} is valid (${parsed.rules.length} rules, default ${parsed.default.route}, version ${parsed.policyVersion.slice(0, 12)})`,
      );
    });

  policy
    .command('explain')
    .description('print the routing decision for a shot file, without submitting it')
    .argument('<file>', 'policy file')
    .argument('<shot>', 'one shot request (JSON or YAML)')
    .option('--rates <file>', 'rate cards (default: examples/rate-cards.yaml)')
    .option('--consents <file>', 'consent records (JSON or YAML list) to treat as on file')
    .action((file: string, shotFile: string, opts: { rates?: string; consents?: string }) => {
      const parsed = parsePolicy(read(file), file);
      const rates = parseRateCards(read(ratesOption(opts.rates)), ratesOption(opts.rates));
      checkPolicyAgainstRates(parsed, rates);
      const shot = parseOrThrow(ShotRequest, parseYaml(read(shotFile)), `shot ${shotFile}`);
      const consents = (opts.consents ? parseYaml(read(opts.consents)) : []) as ConsentRecord[];
      const now = new Date();
      const consentOnFile = shot.performers
        .filter((p) => usesNeeded(p).length > 0)
        .every(
          (p) =>
            matchingConsents(consents, { performer: p, show: shot.show, territories: shot.territories, now })
              .covering.length > 0,
        );
      const decision = evaluatePolicy(parsed, {
        shot,
        estimates: estimateRoutes(shot, rates),
        consentOnFile,
        now,
      });
      ctx.io.out(ctx.asJson() ? json(decision) : explainDecision(decision));
    });
}
