import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { CommandContext } from './shots';

// The api package holds the one definition of a token's hash; imported when used, not with every command.
const hashToken = async (value: string) => (await import('@shotcaller/api')).hashToken(value);

export function registerTokenCommands(program: Command, ctx: CommandContext): void {
  const token = program.command('token').description('API tokens: only their SHA-256 goes in the config');
  token
    .command('create')
    .description('make a new random token and print it with the tokens-file entry to add')
    .requiredOption('--name <name>', 'who holds it')
    .requiredOption('--role <role>', 'td, accountant, compliance, vendor or admin')
    .option('--shows <codes>', 'comma-separated show codes, or * for all', '*')
    .option('--vendor <id>', 'for a vendor token: the vendor id')
    .action(async (opts: { name: string; role: string; shows: string; vendor?: string }) => {
      const secret = `sc_${randomBytes(24).toString('base64url')}`;
      const entry = {
        name: opts.name,
        sha256: await hashToken(secret),
        role: opts.role,
        shows: opts.shows.split(',').map((s) => s.trim()),
        ...(opts.vendor ? { vendorId: opts.vendor } : {}),
      };
      ctx.io.out(`token (give it to ${opts.name}; it is not stored anywhere): ${secret}\n`);
      ctx.io.out(`add to the tokens file:\n${stringify({ tokens: [entry] })}`);
    });
  token
    .command('hash')
    .description('print the SHA-256 of a token, for the tokens file')
    .argument('<token>')
    .action(async (value: string) => ctx.io.out(await hashToken(value)));
}
