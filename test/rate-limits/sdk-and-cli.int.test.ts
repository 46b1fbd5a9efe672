import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startShotcaller } from '@shotcaller/cli';
import { type RateLimitWait, ShotcallerClient } from '@shotcaller/sdk';
import { aShotRequest } from '@shotcaller/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runShotcaller, tokens } from '../support/shotcaller';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

/** Two api replicas of one deployment on the test run's Redis, with a small write budget. */
async function twoReplicas(windowMs: number) {
  const first = await runShotcaller(['api'], { api: { rateLimits: { write: 3, windowMs } } });
  stops.push(() => first.running.stop());
  const second = await startShotcaller(first.config, ['api']);
  stops.push(() => second.stop());
  return { a: first.running.apiUrl!, b: second.apiUrl! };
}

const shotFile = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'limits-'));
  const file = join(dir, 'shot.yaml');
  writeFileSync(file, stringify({ shots: [aShotRequest({ show: 'NTH', shot: name })] }));
  return file;
};

async function cli(api: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    { out: (t) => out.push(t), err: (t) => err.push(t), tty: false },
    { SHOTCALLER_API_URL: api, SHOTCALLER_TOKEN: tokens.td },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('clients and the rate limit', () => {
  it('the SDK waits out a 429 from the other replica and then gets through', async () => {
    const { a, b } = await twoReplicas(1_500);
    const onA = new ShotcallerClient({ baseUrl: a, token: tokens.td });
    for (let i = 0; i < 3; i += 1) await onA.submitShot(aShotRequest({ show: 'NTH' }));
    const waits: RateLimitWait[] = [];
    const onB = new ShotcallerClient({ baseUrl: b, token: tokens.td, onRateLimited: (w) => waits.push(w) });
    const startedAt = Date.now();
    const { created } = await onB.submitShot(aShotRequest({ show: 'NTH' }));
    expect(created).toBe(true);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatchObject({ status: 429, method: 'POST', path: '/v1/shots', attempt: 1 });
    expect(waits[0]!.retryAfterMs).toBeGreaterThan(0);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(waits[0]!.retryAfterMs - 50);
  });

  it('the CLI says it is waiting, then submits', async () => {
    const { a, b } = await twoReplicas(1_500);
    for (let i = 0; i < 3; i += 1) expect((await cli(a, 'submit', shotFile(`LIM_00${i}0`))).code).toBe(0);
    const result = await cli(b, 'submit', shotFile('LIM_0100'));
    expect(result.code, result.err).toBe(0);
    expect(result.err).toMatch(/note: the API is limiting this token's requests; trying again in \d+ s/);
  });

  it('the CLI gives up at once, with exit code 4, when the wait is longer than a minute', async () => {
    const { a, b } = await twoReplicas(10 * 60_000);
    for (let i = 0; i < 3; i += 1) expect((await cli(a, 'submit', shotFile(`LIM_02${i}0`))).code).toBe(0);
    const result = await cli(b, 'submit', shotFile('LIM_0300'));
    expect(result.code).toBe(4);
    expect(result.err).toMatch(/error \(rate_limited, HTTP 429\): This token has made too many changes/);
  });
});
