import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const watchdog = fileURLToPath(new URL('./watchdog.sh', import.meta.url));
const keptLogBytes = 16_384;

/** An engine process that dies with the process that started it, with the tail of its output kept. */
export class SupervisedProcess {
  private readonly child: ChildProcess;
  private log = '';
  private readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
  ) {
    this.child = spawn('bash', [watchdog, String(process.pid), command, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString('utf8')).slice(-keptLogBytes);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  logTail(lines = 30): string {
    return this.log.trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Resolves with the exit code when the engine ends. */
  waitForExit(): Promise<number | null> {
    return this.exited;
  }

  /** Asks the engine to shut down cleanly; kills it if it has not ended after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    // The watchdog kills the engine itself on SIGUSR1; SIGKILL to the watchdog alone would orphan it.
    const hard = setTimeout(() => this.child.kill('SIGUSR1'), graceMs);
    const last = setTimeout(() => this.child.kill('SIGKILL'), graceMs + 5_000);
    await this.exited;
    clearTimeout(hard);
    clearTimeout(last);
  }
}
