import type { ShotRequestInput } from '@shotcaller/contracts';
import { createQueue, genaiQueueName, ShotStore } from '@shotcaller/shots';
import { aPerformer, aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runShotcaller } from '../support/shotcaller';

let app: Awaited<ReturnType<typeof runShotcaller>>;
beforeAll(async () => {
  app = await runShotcaller(['api', 'router']);
});
afterAll(() => app?.running.stop());

const finalStates = new Set(['queued', 'held']);

/** A sequence of 200 shots of the kinds a production mixes. */
function sequence(): ShotRequestInput[] {
  return Array.from({ length: 200 }, (_, i) => {
    const kind = i % 5;
    const base = { shot: `COL_${String(i * 10).padStart(4, '0')}`, idempotencyKey: `seq-${i}` };
    if (kind === 0) return aShotRequest({ ...base, category: 'destruction', deliverable: 'temp' });
    if (kind === 1) return aShotRequest({ ...base, category: 'environment', deliverable: 'final' });
    if (kind === 2)
      return aShotRequest({
        ...base,
        category: 'face-likeness',
        performers: [aPerformer({ id: 'p-ava', name: 'Ava Reyes', likeness: 'altered' })],
      });
    // Asked for AI, but it alters a face with no consent on file: the pre-check must hold it.
    if (kind === 3)
      return aShotRequest({
        ...base,
        category: 'face-likeness',
        requestedRoute: 'genai',
        performers: [aPerformer({ id: 'p-ben', name: 'Ben Okafor', likeness: 'altered' })],
      });
    return aShotRequest({ ...base, category: 'cleanup-paint', frames: { start: 1001, end: 1200 } });
  });
}

describe('routing a sequence through the API and the router', () => {
  const shots = sequence();
  let ids: string[] = [];

  it('routes a batch of 200 shots submitted through the SDK, each decision naming its rules and both estimates', async () => {
    const reply = await app.client().submitBatch(shots);
    expect(reply.results.every((r) => r.status === 'created')).toBe(true);
    ids = reply.results.map((r) => r.shotId!);
    const store = new ShotStore(app.running.redis, app.deployment);
    const routed = await eventually(
      () => store.getMany(ids),
      (all) => all.every((s) => finalStates.has(s.state)),
      'every shot routed or held',
      60_000,
    );
    for (const shot of routed) {
      const d = shot.decision!;
      expect(d.estimates.genai.cost.amountMinor).toBeGreaterThan(0);
      expect(d.estimates.vendor.cost.amountMinor).toBeGreaterThan(0);
      expect(d.estimates.genai.basis).toMatch(/frames/);
      if (d.decidedBy !== 'default' && d.decidedBy !== 'requested') {
        expect(d.matchedRules[0]!.ruleId).toBe(d.decidedBy);
        expect(d.matchedRules[0]!.reason.length).toBeGreaterThan(5);
      }
    }
    const byKind = (k: number) => routed.filter((_, i) => i % 5 === k);
    expect(
      byKind(0).every(
        (s) => s.state === 'queued' && s.route === 'genai' && s.decision!.decidedBy === 'fx-no-performers',
      ),
    ).toBe(true);
    expect(byKind(1).every((s) => s.route === 'vendor' && s.decision!.decidedBy === 'default')).toBe(true);
    expect(
      byKind(2).every((s) => s.route === 'vendor' && s.decision!.decidedBy === 'likeness-to-vendor'),
    ).toBe(true);
    expect(byKind(3).every((s) => s.state === 'held')).toBe(true);
    expect(
      byKind(4).every((s) => s.route === 'genai' && s.decision!.decidedBy === 'cheap-cleanup-to-genai'),
    ).toBe(true);
  });

  it('creates nothing new when the same batch is submitted again', async () => {
    const again = await app.client().submitBatch(shots);
    expect(again.results.map((r) => r.status)).toEqual(shots.map(() => 'existing'));
    expect(again.results.map((r) => r.shotId)).toEqual(ids);
    expect(await new ShotStore(app.running.redis, app.deployment).count()).toBe(200);
  });

  it('never puts a held shot on the genai queue, and names the missing consent', async () => {
    const genai = createQueue(genaiQueueName('local'), app.running.redis, app.deployment);
    const queued = new Set((await genai.getJobs()).map((j) => j.data.shotId));
    await genai.close();
    const held = ids.filter((_, i) => i % 5 === 3);
    for (const id of held) expect(queued.has(id)).toBe(false);
    expect(queued.size).toBe(80);
    const shot = await app.client().getShot(held[0]!);
    const missing = shot.precheck!.findings.flatMap((f) => f.missing);
    expect(missing.some((m) => m.kind === 'consent' && m.performerId === 'p-ben')).toBe(true);
    expect(shot.history!.map((e) => e.type)).toContain('io.shotcaller.shot.held.v1');
  });

  it('applies an override, withdraws the superseded AI job, and keeps it in the audit trail', async () => {
    const id = ids[0]!;
    const overridden = await app
      .client()
      .override(id, 'vendor', 'hero shot: the director wants a vendor on it');
    expect(overridden.state).toBe('rerouted');
    const shot = await eventually(
      () => app.client().getShot(id),
      (s) => s.state === 'queued',
      'the override routed',
      20_000,
    );
    expect(shot.route).toBe('vendor');
    expect(shot.decision).toMatchObject({
      decidedBy: 'override',
      override: {
        by: 'ana (td)',
        reason: 'hero shot: the director wants a vendor on it',
        previousRoute: 'genai',
      },
    });
    const overrideEvent = shot.history!.find((e) => e.type === 'io.shotcaller.shot.overridden.v1');
    expect(overrideEvent?.data).toMatchObject({ from: 'genai', to: 'vendor', by: 'ana (td)' });
    const genai = createQueue(genaiQueueName('local'), app.running.redis, app.deployment);
    expect((await genai.getJobs()).map((j) => j.data.shotId)).not.toContain(id);
    await genai.close();
  });

  it('refuses to override a held shot onto AI', async () => {
    const held = ids[3]!;
    await expect(app.client().override(held, 'genai', 'just do it')).rejects.toThrow(
      /held by the compliance pre-check/,
    );
  });

  it('overrides a held AI shot to a vendor: routed there, with the override on its decision', async () => {
    const held = ids[3]!;
    expect((await app.client().getShot(held)).state).toBe('held');
    await app.client().override(held, 'vendor', 'no consent in time: a vendor does it');
    const shot = await eventually(
      () => app.client().getShot(held),
      (s) => s.state === 'queued',
      'the held shot routed to a vendor',
      20_000,
    );
    expect(shot.route).toBe('vendor');
    expect(shot.decision).toMatchObject({ decidedBy: 'override' });
  });
});
