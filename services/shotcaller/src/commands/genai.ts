import { ShotcallerError } from '@shotcaller/contracts';
import { loadConfig } from '@shotcaller/platform';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes';
import { json } from '../output';
import type { CommandContext } from './shots';

class UnknownProvider extends ShotcallerError {
  readonly code = 'unknown_provider';
  constructor(
    readonly provider: string,
    known: string[],
  ) {
    super(`No genai provider ${provider} in the configuration; it has ${known.join(', ') || 'none'}`);
  }
}

export function registerGenaiCommands(program: Command, ctx: CommandContext): void {
  const genai = program.command('genai').description('generative-AI providers');
  genai
    .command('check')
    .description(
      'connect to a configured provider and say what works: reachable, authenticated, and for ComfyUI the workflow template valid against the server',
    )
    .argument('<provider>', 'a name from genai.providers')
    .option('--config <file>', 'configuration file (YAML; default: $SHOTCALLER_CONFIG)')
    .action(async (name: string, opts: { config?: string }) => {
      const config = loadConfig(opts.config ? { file: opts.config } : {});
      const provider = config.genai.providers.find((p) => p.name === name);
      if (!provider)
        throw new UnknownProvider(
          name,
          config.genai.providers.map((p) => p.name),
        );
      const { checkProvider } = await import('@shotcaller/genai');
      const results = await checkProvider(provider);
      const ok = results.every((r) => r.ok);
      ctx.io.out(
        ctx.asJson()
          ? json({ provider: name, kind: provider.kind, ok, checks: results })
          : [
              ...results.map((r) => `${r.ok ? '✓' : '✗'} ${r.check}: ${r.detail}`),
              ok
                ? `${name} is ready for shots`
                : `${name} is not ready: fix what is marked ✗ and check again`,
            ].join('\n'),
      );
      if (!ok) ctx.setExit(exitCodes.failed);
    });
}
