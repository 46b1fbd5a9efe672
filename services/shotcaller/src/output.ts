import Table from 'cli-table3';

/** Where a command writes; tests pass buffers. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (progress bars only then). */
  tty: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  tty: Boolean(process.stdout.isTTY),
};

export function table(head: string[], rows: Array<Array<string | number | undefined>>): string {
  const t = new Table({ head, style: { head: [], border: [], compact: true } });
  for (const row of rows) t.push(row.map((c) => (c === undefined ? '' : String(c))));
  return t.toString();
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
