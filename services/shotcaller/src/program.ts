import { ShotcallerError } from '@shotcaller/contracts';
import { ApiError, ApiUnreachable, ShotcallerClient } from '@shotcaller/sdk';
import { Command, CommanderError } from 'commander';
import { registerBudgetCommands } from './commands/budget';
import { registerComplianceCommands } from './commands/compliance';
import { registerDemoCommand } from './commands/demo';
import { registerGenaiCommands } from './commands/genai';
import { registerKitsuCommands } from './commands/kitsu';
import { registerLabourCommands } from './commands/labour';
import { registerPolicyCommands } from './commands/policy';
import { type CommandContext, registerShotCommands } from './commands/shots';
import { registerSimulateCommand } from './commands/simulate';
import { registerStartCommand } from './commands/start';
import { registerStorageCommands } from './commands/storage';
import { registerTokenCommands } from './commands/token';
import { registerTurnoverCommands } from './commands/turnover';
import { registerVerifyCommand } from './commands/verify';
import { exitCodes } from './exit-codes';
import { type Io, processIo } from './output';

/** Extra command groups other roles' packages add (start, demo, budget, consent…). */
export type CommandPlugin = (program: Command, ctx: CommandContext) => void;

const plugins: CommandPlugin[] = [
  registerShotCommands,
  registerPolicyCommands,
  registerTokenCommands,
  registerStartCommand,
  registerDemoCommand,
  registerBudgetCommands,
  registerComplianceCommands,
  registerSimulateCommand,
  registerLabourCommands,
  registerKitsuCommands,
  registerGenaiCommands,
  registerStorageCommands,
  registerTurnoverCommands,
  registerVerifyCommand,
];

export function addCommands(plugin: CommandPlugin): void {
  plugins.push(plugin);
}

/** Runs the shotcaller CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(
  argv: readonly string[],
  io: Io = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let exit: number = exitCodes.ok;
  const program = new Command('shotcaller')
    .description('Shotcaller: route VFX shots to generative AI or vendors, with budget and compliance')
    .option('--api <url>', 'the Shotcaller API', env.SHOTCALLER_API_URL ?? 'http://127.0.0.1:8080')
    .option('--token <token>', 'bearer token (default: $SHOTCALLER_TOKEN)')
    .option('--json', 'machine-readable output')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  const ctx: CommandContext = {
    io,
    asJson: () => Boolean(program.opts().json),
    setExit: (code) => {
      exit = code;
    },
    client: () => {
      const { api, token } = program.opts<{ api: string; token?: string }>();
      const bearer = token ?? env.SHOTCALLER_TOKEN;
      if (!bearer) throw new MissingToken();
      return new ShotcallerClient({
        baseUrl: api,
        token: bearer,
        // The API's Retry-After is honoured by the SDK; say why the command pauses.
        onRateLimited: ({ retryAfterMs, attempt }) =>
          io.err(
            `note: the API is limiting this token's requests; trying again in ${Math.ceil(retryAfterMs / 1000)} s (attempt ${attempt + 1})`,
          ),
      });
    },
  };
  for (const plugin of plugins) plugin(program, ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    return report(error, io);
  }
  return exit;
}

class MissingToken extends ShotcallerError {
  readonly code = 'missing_token';
  constructor() {
    super(
      'No API token: pass --token or set SHOTCALLER_TOKEN (an admin makes one with `shotcaller token create`)',
    );
  }
}

function report(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
  if (error instanceof ApiUnreachable) {
    io.err(`error: ${error.message}`);
    return exitCodes.unreachable;
  }
  if (error instanceof ApiError) {
    io.err(`error (${error.code}, HTTP ${error.status}): ${error.message}`);
    if (error.status === 429) return exitCodes.rateLimited;
    return exitCodes.failed;
  }
  if (error instanceof ShotcallerError) {
    io.err(`error (${error.code}): ${error.message}`);
    return error.code === 'missing_token' ? exitCodes.usage : exitCodes.failed;
  }
  io.err(`error: ${(error instanceof Error && error.stack) || String(error)}`);
  return exitCodes.failed;
}
