import { mkdirSync, mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiError } from '@shotcaller/sdk';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { runShotcaller } from '../support/shotcaller';

let app: Awaited<ReturnType<typeof runShotcaller>> | undefined;
afterAll(() => app?.running.stop());

const types = (history: Array<{ type: string }> | undefined) => (history ?? []).map((e) => e.type);

describe('a store that goes away', () => {
  it('holds the task and runs it again when the store is back, never failing the shot; the api answers 503, not 500', async () => {
    const share = mkdtempSync(join(tmpdir(), 'share-'));
    const root = join(share, 'shotcaller');
    mkdirSync(root);
    app = await runShotcaller(['api', 'router', 'genai-worker'], {
      storage: { backend: 'shared-fs', root, retryDelayMs: 300 },
    });
    const aShot = (shot: string) =>
      aShotRequest({ shot, category: 'environment', deliverable: 'temp', frames: { start: 1, end: 3 } });
    const { shot: first } = await app.client().submitShot(aShot('DOWN_0010'));
    await eventually(
      () => app!.client().getShot(first.id),
      (s) => s.state === 'delivered',
      'the first shot',
      60_000,
    );

    // The share is unmounted under the running roles.
    renameSync(root, `${root}.away`);
    const unavailable = await app
      .client()
      .text('GET', `/v1/shots/${first.id}/outputs/0/credentials`)
      .then(
        () => undefined,
        (e) => e as ApiError,
      );
    expect(unavailable).toMatchObject({ status: 503, code: 'storage_unavailable' });
    expect(unavailable!.message).toContain('does not exist on this machine: is the share mounted?');

    const { shot } = await app.client().submitShot(aShot('DOWN_0020'));
    const waiting = await eventually(
      () => app!.client().getShot(shot.id),
      (s) => types(s.history).includes('io.shotcaller.genai.task.failed.v1'),
      'the task meeting the missing store',
      60_000,
    );
    const failed = waiting.history!.find((e) => e.type === 'io.shotcaller.genai.task.failed.v1')!.data as {
      error: string;
      permanent: boolean;
    };
    expect(failed).toMatchObject({ permanent: false });
    expect(failed.error).toMatch(/artifact store \(shared-fs .*\) is unavailable: .* is the share mounted\?/);
    // Well past the five retries BullMQ would allow a failing task, the shot still waits rather than fails.
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await app.client().getShot(shot.id)).state).toBe('in-progress');

    renameSync(`${root}.away`, root);
    const done = await eventually(
      () => app!.client().getShot(shot.id),
      (s) => s.state === 'delivered',
      'the shot delivered once the store is back',
      60_000,
    );
    expect(types(done.history).filter((t) => t === 'io.shotcaller.shot.delivered.v1')).toHaveLength(1);
    expect(types(done.history).filter((t) => t === 'io.shotcaller.genai.task.failed.v1')).toHaveLength(1);
  }, 180_000);
});
