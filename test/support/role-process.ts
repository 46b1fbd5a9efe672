import { type ChildProcess, spawn } from 'node:child_process';
import { shotcallerArgs } from './program';

/** One Shotcaller role in a process of its own (`shotcaller start --role …`), so a test can SIGKILL it; compiled or from the sources (shotcallerArgs). */
export function spawnRole(
  role: string,
  env: Record<string, string>,
  stderr: 'inherit' | 'pipe' = 'inherit',
): ChildProcess {
  return spawn(process.execPath, shotcallerArgs(['start', '--role', role]), {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', stderr],
  });
}

/** Signals a process and waits for it to exit, killing it if it has not after `graceMs`; nothing to do if it already has. */
export async function stopProcess(p: ChildProcess, signal: NodeJS.Signals, graceMs = 15_000): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill(signal);
  const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
