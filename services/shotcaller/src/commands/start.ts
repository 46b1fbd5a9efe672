import { loadConfig } from '@shotcaller/platform';
import type { Command } from 'commander';
import type { RoleName } from '../runtime/role';
import { availableRoles, startShotcaller } from '../runtime/shotcaller-process';
import type { CommandContext } from './shots';

export function registerStartCommand(program: Command, ctx: CommandContext): void {
  program
    .command('start')
    .description(
      `run roles in this process (default: all of ${availableRoles.join(', ')}); stops on SIGINT/SIGTERM`,
    )
    .option('--role <roles...>', 'only these roles')
    .option('--config <file>', 'configuration file (YAML)')
    .option(
      '--partitions <set>',
      'serve only these partitions of the deployment, e.g. 0-7 or 0-3,8 (default: all; see docs/operations.md#partitions)',
    )
    .action(async (opts: { role?: string[]; config?: string; partitions?: string }) => {
      const config = loadConfig(opts.config ? { file: opts.config } : {});
      const names = (opts.role ?? availableRoles) as RoleName[];
      const unknown = names.filter((n) => !availableRoles.includes(n));
      if (unknown.length > 0)
        throw new Error(
          `Unknown role(s) ${unknown.join(', ')}; this version runs ${availableRoles.join(', ')}`,
        );
      const running = await startShotcaller(
        config,
        names,
        opts.partitions ? { partitions: opts.partitions } : {},
      );
      ctx.io.out(
        `shotcaller running: ${running.roles.map((r) => r.name).join(', ')}${running.apiUrl ? ` — API ${running.apiUrl}` : ''} — Redis ${running.redisUrl}`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      ctx.io.out('stopping…');
      await running.stop();
      // Every role has stopped; a handle some library left open must not keep a stopped process alive.
      setTimeout(() => process.exit(process.exitCode ?? 0), 5_000).unref();
    });
}
