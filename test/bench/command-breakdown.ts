import type { Redis } from 'ioredis';

/** Where Redis commands go, by command name and by part of Shotcaller (from the key each one touches). */
export interface CommandBreakdown {
  total: number;
  byCommand: Record<string, number>;
  byPart: Record<string, number>;
  /** `part: COMMAND` → count. */
  byPartAndCommand: Record<string, number>;
}

const parts: Array<[RegExp, string]> = [
  [/:bull:/, 'queues (BullMQ)'],
  // A shot's hash is also its event index (see packages/shots/src/keys.ts): the shot store's.
  [/:events:by-subject:sh-/, 'shot store'],
  [/:events(:|$)/, 'event log'],
  [/:shots?:/, 'shot store'],
  [/:budget:/, 'ledger'],
  [/:compliance:|:consents|:alerts/, 'compliance'],
];

/** The part a key belongs to. */
export function partOf(key: string | undefined): string {
  if (key === undefined) return 'other';
  for (const [pattern, part] of parts) if (pattern.test(key)) return part;
  return 'other';
}

/** The first key a command touches, from its arguments (enough to attribute it). */
function keyOf(args: string[]): string | undefined {
  const name = args[0]?.toUpperCase();
  if (name === 'EVALSHA' || name === 'EVAL') return Number(args[2]) > 0 ? args[3] : undefined;
  if (name === 'XREADGROUP' || name === 'XREAD') {
    const i = args.findIndex((a) => a.toUpperCase() === 'STREAMS');
    return i >= 0 ? args[i + 1] : undefined;
  }
  return args[1];
}

/**
 * Runs `work` with Redis MONITOR attached and counts every command it sees (those run inside Lua
 * included, as INFO commandstats does), by name and by the part its key belongs to.
 */
export async function breakdownOf(redis: Redis, work: () => Promise<void>): Promise<CommandBreakdown> {
  const connection = redis.duplicate();
  const monitor = await connection.monitor();
  const byCommand: Record<string, number> = {};
  const byPart: Record<string, number> = {};
  const byPartAndCommand: Record<string, number> = {};
  let total = 0;
  monitor.on('monitor', (_time: string, args: string[]) => {
    const name = (args[0] ?? '').toUpperCase();
    if (name === 'MONITOR' || name === 'INFO') return;
    total++;
    byCommand[name] = (byCommand[name] ?? 0) + 1;
    const part = partOf(keyOf(args));
    byPart[part] = (byPart[part] ?? 0) + 1;
    const both = `${part}: ${name}`;
    byPartAndCommand[both] = (byPartAndCommand[both] ?? 0) + 1;
  });
  try {
    await work();
  } finally {
    monitor.disconnect();
    connection.disconnect();
  }
  return { total, byCommand, byPart, byPartAndCommand };
}
