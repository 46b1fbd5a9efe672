import { spawn } from 'node:child_process';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { shotcallerArgs } from '../support/program';
import { runShotcaller } from '../support/shotcaller';

let app: Awaited<ReturnType<typeof runShotcaller>>;
beforeAll(async () => {
  app = await runShotcaller(['api', 'router']);
});
afterAll(() => app?.running.stop());

const genaiWorker = () =>
  spawn(process.execPath, shotcallerArgs(['start', '--role', 'genai-worker']), {
    env: {
      ...process.env,
      REDIS_URL: inject('redisUrl'),
      SHOTCALLER_DEPLOYMENT: app.deployment,
      SHOTCALLER_GENAI_LOCK_MS: '1500',
      SHOTCALLER_DATA_DIR: app.config.dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });

describe('a genai worker killed mid-task', () => {
  it('hands the task to another worker: the shot is delivered once and its usage counted once', async () => {
    const doomed = genaiWorker();
    const { shot } = await app
      .client()
      .submitShot(
        aShotRequest({ category: 'destruction', deliverable: 'temp', frames: { start: 1, end: 1500 } }),
      );
    await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.progress?.type === 'io.shotcaller.genai.task.progress.v1',
      'the task under way',
      60_000,
    );
    doomed.kill('SIGKILL');
    await new Promise((r) => doomed.once('exit', r));
    expect((await app.client().getShot(shot.id)).state).toBe('in-progress');

    const survivor = genaiWorker();
    try {
      const done = await eventually(
        () => app.client().getShot(shot.id),
        (s) => s.state === 'delivered',
        'the shot delivered by the survivor',
        90_000,
      );
      const count = (type: string) => done.history!.filter((e) => e.type === `io.shotcaller.${type}`).length;
      expect(count('shot.delivered.v1')).toBe(1);
      expect(count('genai.task.completed.v2')).toBe(1);
      expect(count('genai.usage.recorded.v1')).toBe(1);
      expect(count('genai.task.started.v1')).toBe(1);
    } finally {
      survivor.kill('SIGTERM');
      await new Promise((r) => survivor.once('exit', r));
    }
  }, 180_000);
});
