import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProviderProfile } from '@shotcaller/compliance';
import { makeEvent, type ShotcallerEvent } from '@shotcaller/contracts';
import { repoRoot } from '@shotcaller/engines';
import { EventLog, eventSource } from '@shotcaller/events';
import { decideShot, parsePolicy, parseRateCards } from '@shotcaller/routing';
import { readSnapshot, simulate } from '@shotcaller/simulation';
import { aShotRequest } from '@shotcaller/testkit';
import type { Redis } from 'ioredis';

const categories = [
  'environment',
  'destruction',
  'crowd',
  'cleanup-paint',
  'set-extension',
  'matte-painting',
] as const;

/** Records `n` routed shots of one show in a fresh deployment's log, then times snapshot + replay under all-vendor. */
export async function simulationOfRecordedShots(redis: Redis, n: number) {
  const examples = join(repoRoot(), 'examples');
  const rates = parseRateCards(readFileSync(join(examples, 'rate-cards.yaml'), 'utf8'), 'rate-cards.yaml');
  const live = parsePolicy(readFileSync(join(examples, 'policy.yaml'), 'utf8'), 'policy.yaml');
  const candidate = parsePolicy(
    readFileSync(join(examples, 'policies/all-vendor.yaml'), 'utf8'),
    'all-vendor.yaml',
  );
  const providers = {
    local: ProviderProfile.parse({ name: 'local', trainingDataLicence: 'owned', enterpriseSecured: true }),
  };
  const deployment = `bench-sim-${Date.now()}`;
  const log = new EventLog(redis, { deployment });
  const now = new Date();
  const source = eventSource(deployment, 'bench');
  let batch: ShotcallerEvent[] = [];
  for (let i = 0; i < n; i++) {
    const request = aShotRequest({
      show: 'SIM',
      sequence: `S${String(Math.floor(i / 100)).padStart(3, '0')}`,
      shot: `S_${String(i).padStart(5, '0')}`,
      category: categories[i % categories.length],
      frames: { start: 1001, end: 1001 + (i % 200) },
      budgetLine: 'SIM-VFX',
    });
    const shotId = `sh-sim-${i}`;
    const { decision, precheck } = decideShot({
      request,
      shotId,
      policy: live,
      rates,
      consents: [],
      approvals: [],
      providers,
      now,
    });
    const meta = { source, subject: shotId, correlationId: shotId, show: 'SIM', time: now };
    batch.push(
      makeEvent('io.shotcaller.shot.submitted.v1', { shotId, request, submittedBy: 'bench' }, meta),
      makeEvent('io.shotcaller.shot.routed.v1', { shotId, decision, precheck }, meta),
    );
    if (batch.length >= 1000) {
      await log.appendMany(batch);
      batch = [];
    }
  }
  await log.appendMany(batch);
  const started = performance.now();
  const snapshot = await readSnapshot(redis, deployment, 'SIM');
  const read = performance.now();
  const report = simulate({ show: 'SIM', ...snapshot, candidate: { policy: candidate, rates }, providers });
  const done = performance.now();
  if (report.shots.length !== n) throw new Error(`simulated ${report.shots.length} of ${n} shots`);
  return {
    shots: n,
    readSeconds: (read - started) / 1000,
    simulateSeconds: (done - read) / 1000,
    totalSeconds: (done - started) / 1000,
  };
}
