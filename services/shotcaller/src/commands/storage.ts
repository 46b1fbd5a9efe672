import { resolve } from 'node:path';
import { loadConfig } from '@shotcaller/platform';
import type { Command } from 'commander';
import type { CommandContext } from './shots';

/** `shotcaller storage check|cleanup`: the artifact store as the configuration names it. */
export function registerStorageCommands(program: Command, ctx: CommandContext): void {
  const storage = program.command('storage').description('the artifact store: frames, manifests, deliveries');
  // The S3 client comes with the store's package: imported by these commands, not by every command.
  const open = async (file?: string) => {
    const config = loadConfig(file ? { file } : {});
    const { createArtifactStore } = await import('@shotcaller/storage');
    return { config, store: createArtifactStore(config.storage, resolve(config.dataDir)) };
  };
  storage
    .command('check')
    .description('check that the store answers and takes writes, as the api and genai-worker roles need')
    .option('--config <file>', 'configuration file (YAML)')
    .action(async (opts: { config?: string }) => {
      const { store } = await open(opts.config);
      await store.check({ write: true });
      ctx.io.out(
        ctx.asJson() ? JSON.stringify({ ok: true, store: store.description }) : `ok: ${store.description}`,
      );
    });
  storage
    .command('cleanup')
    .description('remove what interrupted writes left behind: temp files, incomplete multipart uploads')
    .option('--config <file>', 'configuration file (YAML)')
    .option('--older-than-ms <ms>', 'only leftovers older than this (default: storage.leftoverMaxAgeMs)')
    .action(async (opts: { config?: string; olderThanMs?: string }) => {
      const { config, store } = await open(opts.config);
      const olderThanMs =
        opts.olderThanMs === undefined ? config.storage.leftoverMaxAgeMs : Number(opts.olderThanMs);
      if (!Number.isInteger(olderThanMs) || olderThanMs < 0)
        throw new Error(`--older-than-ms must be a whole number of milliseconds, not ${opts.olderThanMs}`);
      const removed = await store.cleanup({ olderThanMs });
      if (ctx.asJson()) ctx.io.out(JSON.stringify({ store: store.description, removed }));
      else {
        for (const key of removed) ctx.io.out(`removed ${key}`);
        ctx.io.out(`${removed.length} leftover(s) removed from ${store.description}`);
      }
    });
}
