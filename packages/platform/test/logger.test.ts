import { PassThrough } from 'node:stream';
import { createLogger } from '@shotcaller/platform';
import { describe, expect, it } from 'vitest';

describe('the logger', () => {
  it('never writes a token, key, password or auth header', async () => {
    const out = new PassThrough();
    const lines: string[] = [];
    out.on('data', (c: Buffer) => lines.push(...c.toString().trim().split('\n')));
    const log = createLogger({ role: 'api', deployment: 'dev', destination: out });
    log.info({ token: 'tok-1', req: { headers: { authorization: 'Bearer tok-2' } } }, 'request');
    log.info({ provider: { apiKey: 'key-3' }, smtp: { password: 'pw-4' } }, 'configured');
    await new Promise((r) => setImmediate(r));
    const text = lines.join('\n');
    for (const secret of ['tok-1', 'tok-2', 'key-3', 'pw-4']) expect(text).not.toContain(secret);
    const first = JSON.parse(lines[0]!);
    expect(first).toMatchObject({ role: 'api', deployment: 'dev', token: '[redacted]', msg: 'request' });
  });
});

describe('a process running several roles', () => {
  it('names one role on each line, never two', async () => {
    const out = new PassThrough();
    const lines: string[] = [];
    out.on('data', (c: Buffer) => lines.push(...c.toString().trim().split('\n')));
    const log = createLogger({ deployment: 'dev', destination: out });
    log.child({ role: 'router' }).info('routing');
    log.info('started');
    await new Promise((r) => setImmediate(r));
    // Strict JSON pipelines refuse a line with a key twice: count the raw occurrences.
    expect(lines[0]!.match(/"role":/g)).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ role: 'router', deployment: 'dev', msg: 'routing' });
    expect(lines[1]!).not.toContain('"role"');
  });
});
