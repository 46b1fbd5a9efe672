import { runCli } from '@shotcaller/cli';
import { startZouServer, type ZouServerHandle } from '@shotcaller/engines';
import { eventLogKeys } from '@shotcaller/events';
import { type ImportOutcome, KitsuClient, KitsuMapping, KitsuStatuses, KitsuSync } from '@shotcaller/kitsu';
import { ShotStore } from '@shotcaller/shots';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runShotcaller, tokens } from '../support/shotcaller';
import { ZouSeeder } from './zou-seed';

let zou: ZouServerHandle;
let seed: ZouSeeder;
let app: Awaited<ReturnType<typeof runShotcaller>>;
let kitsu: KitsuClient;
let sync: KitsuSync | undefined;
const shotIds = new Map<string, string>();
const taskIds = new Map<string, string>();
const statusIds = new Map<string, string>();

const seeded = Array.from({ length: 12 }, (_, i) => ({
  name: `COL_${String((i + 1) * 10).padStart(4, '0')}`,
  description: `Collapse beat ${i + 1}: the tower comes down`,
  data: {
    frame_in: 1001,
    frame_out: 1001 + 10 * (i + 1),
    category: i === 11 ? 'Face' : i % 3 === 0 ? 'Env' : 'destruction',
    deliverable: 'temp',
    ...(i === 11 ? { performers: 'p-marcus|Marcus Hale|sag-aftra|lead|altered', route: 'genai' } : {}),
  },
}));

const mappingInput = {
  show: 'NTH',
  budgetLine: 'NTH-EP01-VFX',
  territories: ['US', 'EU'],
  deadline: '2027-03-12T18:00:00Z',
  categories: { Env: 'environment', Face: 'face-likeness' },
};
const mapping = KitsuMapping.parse(mappingInput);

beforeAll(async () => {
  zou = await startZouServer();
  seed = new ZouSeeder(zou);
  await seed.login();
  const project = await seed.call<{ id: string }>('POST', '/data/projects', {
    name: 'Northern Tower',
    production_type: 'tvshow',
    fps: '24',
    resolution: '2048x858',
  });
  const episode = await seed.call<{ id: string }>('POST', `/data/projects/${project.id}/episodes`, {
    name: 'EP01',
  });
  const sequence = await seed.call<{ id: string }>('POST', `/data/projects/${project.id}/sequences`, {
    name: 'COL',
    episode_id: episode.id,
  });
  const bad = [
    { name: 'BAD_NOFRAMES', data: { category: 'destruction' } },
    { name: 'BAD_CATEGORY', data: { frame_in: 1, frame_out: 10, category: 'Explosions' } },
    { name: 'BAD_NOTASK', data: { frame_in: 1, frame_out: 10, category: 'destruction' } },
  ];
  for (const s of [...seeded, ...bad]) {
    const shot = await seed.call<{ id: string }>('POST', `/data/projects/${project.id}/shots`, {
      name: s.name,
      sequence_id: sequence.id,
      description: 'description' in s ? s.description : '',
      data: s.data,
    });
    shotIds.set(s.name, shot.id);
  }
  const types = await seed.call<Array<{ id: string; name: string; for_entity: string }>>(
    'GET',
    '/data/task-types',
  );
  const compositing = types.find((t) => t.name === 'Compositing' && t.for_entity === 'Shot')!;
  const tasks = await seed.call<Array<{ id: string; entity_id: string }>>(
    'POST',
    `/actions/projects/${project.id}/task-types/${compositing.id}/shots/create-tasks`,
    [...shotIds.values()],
  );
  for (const t of tasks) {
    const name = [...shotIds].find(([, id]) => id === t.entity_id)![0];
    taskIds.set(name, t.id);
  }
  await seed.call('DELETE', `/data/tasks/${taskIds.get('BAD_NOTASK')}?force=true`);
  for (const s of await seed.call<Array<{ id: string; short_name: string }>>('GET', '/data/task-status'))
    statusIds.set(s.id, s.short_name);

  app = await runShotcaller(['api', 'router', 'genai-worker', 'budget', 'compliance'], {
    events: { claimIdleMs: 1_000 },
    kitsu: { url: zou.url, ...zou.admin, mapping: mappingInput },
  });
  kitsu = new KitsuClient({ url: zou.url, ...zou.admin });
}, 180_000);

afterAll(async () => {
  await sync?.stop();
  await app?.running.stop();
  await zou?.stop();
});

/** `shotcaller kitsu import`, through the API, as an admin would run it. */
async function importAll(dryRun = false): Promise<ImportOutcome[]> {
  const out: string[] = [];
  const code = await runCli(
    ['kitsu', 'import', '--project', 'Northern Tower', '--json', ...(dryRun ? ['--dry-run'] : [])],
    { out: (t) => out.push(t), err: (t) => out.push(t), tty: false },
    { SHOTCALLER_API_URL: app.running.apiUrl!, SHOTCALLER_TOKEN: tokens.admin },
  );
  // Three shots have bad data: the command says so with its exit code, and imports the rest.
  expect(code, out.join('\n')).toBe(1);
  return JSON.parse(out[0]!).results;
}

/** The seeded project, its COL sequence and the Compositing task type, by id. */
async function seededIds() {
  const projectId = (await seed.call<Array<{ id: string; name: string }>>('GET', '/data/projects')).find(
    (p) => p.name === 'Northern Tower',
  )!.id;
  const sequenceId = (
    await seed.call<Array<{ id: string; name: string }>>('GET', `/data/projects/${projectId}/sequences`)
  ).find((q) => q.name === 'COL')!.id;
  const compositingId = (
    await seed.call<Array<{ id: string; name: string; for_entity: string }>>('GET', '/data/task-types')
  ).find((t) => t.name === 'Compositing' && t.for_entity === 'Shot')!.id;
  return { projectId, sequenceId, compositingId };
}

const taskComments = (name: string) =>
  seed.call<Array<{ text: string; task_status_id: string }>>(
    'GET',
    `/data/tasks/${taskIds.get(name)}/comments`,
  );
const taskStatus = async (name: string) =>
  statusIds.get(
    (await seed.call<{ task_status_id: string }>('GET', `/data/tasks/${taskIds.get(name)}`)).task_status_id,
  );

describe('Kitsu, against a real Zou server', () => {
  it('imports the seeded sequence field by field, reports bad shots one by one, and imports nothing twice', async () => {
    const dry = await importAll(true);
    expect(dry.filter((o) => o.outcome === 'would-submit')).toHaveLength(12);
    expect((await app.client().listShots({ show: 'NTH' })).shots).toHaveLength(0);

    const first = await importAll();
    const byName = new Map(first.map((o) => [o.shot, o]));
    expect(first.filter((o) => o.outcome === 'created')).toHaveLength(12);
    const problem = (name: string) => {
      const o = byName.get(name)!;
      return o.outcome === 'invalid' ? o.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : o.outcome;
    };
    expect(problem('BAD_NOFRAMES')).toMatch(/no frame range/);
    expect(problem('BAD_CATEGORY')).toMatch(/category.*Explosions/);
    expect(problem('BAD_NOTASK')).toMatch(/no Compositing task/);

    for (const s of seeded) {
      const o = byName.get(s.name)!;
      if (o.outcome !== 'created') throw new Error(`${s.name}: ${o.outcome}`);
      const shot = await app.client().getShot(o.shotId);
      expect(shot.request).toMatchObject({
        show: 'NTH',
        episode: 'EP01',
        sequence: 'COL',
        shot: s.name,
        brief: s.description,
        frames: { start: s.data.frame_in, end: s.data.frame_out },
        fps: 24,
        resolution: { width: 2048, height: 858 },
        category: mapping.categories[s.data.category] ?? s.data.category,
        deliverable: 'temp',
        territories: ['US', 'EU'],
        budgetLine: 'NTH-EP01-VFX',
        idempotencyKey: `kitsu-${shotIds.get(s.name)}`,
        source: { tracker: 'kitsu', shotId: shotIds.get(s.name), taskId: taskIds.get(s.name) },
      });
    }

    const again = await importAll();
    expect(again.filter((o) => o.outcome === 'created')).toHaveLength(0);
    expect(again.filter((o) => o.outcome === 'unchanged')).toHaveLength(12);
    expect((await app.client().listShots({ show: 'NTH', limit: 100 })).shots).toHaveLength(12);

    // An edit in Kitsu reaches a shot whose work has not started (this one is held for consent).
    await seed.call('PUT', `/data/entities/${shotIds.get('COL_0120')}`, {
      description: 'Marcus turns back toward the tower',
    });
    const edited = (await importAll()).find((o) => o.shot === 'COL_0120')!;
    expect(edited).toMatchObject({ outcome: 'updated', changed: ['brief'] });
    const revised = await app.client().getShot(edited.outcome === 'updated' ? edited.shotId : '');
    expect(revised.request.brief).toBe('Marcus turns back toward the tower');
    expect(revised.history!.filter((e) => e.type === 'io.shotcaller.shot.revised.v1')).toHaveLength(1);
    expect((await importAll()).find((o) => o.shot === 'COL_0120')!.outcome).toBe('unchanged');
  }, 120_000);

  it('posts routing decisions and holds to the Kitsu tasks with their status, once each, even through a replay', async () => {
    sync = new KitsuSync({
      redis: app.running.redis,
      deployment: app.deployment,
      store: new ShotStore(app.running.redis, app.deployment),
      client: kitsu,
      statuses: KitsuStatuses.parse({}),
      consumerName: 'test',
      claimIdleMs: 1_000,
      maxDeliveries: 100,
      ratePerSecond: 50,
    });
    await sync.start();
    const routedName = 'COL_0020';
    const routed = await eventually(
      () => taskComments(routedName),
      (cs) => cs.some((c) => /routed this shot to/.test(c.text)),
      'the routing comment',
      60_000,
    );
    expect(routed.find((c) => /routed this shot to/.test(c.text))!.text).toMatch(
      /routed this shot to \*\*genai\*\*/,
    );
    await eventually(
      () => taskStatus(routedName),
      (s) => s === 'wip' || s === 'wfa',
      'the task in progress',
    );

    const held = await eventually(
      () => taskComments('COL_0120'),
      (cs) => cs.some((c) => /HOLDING/.test(c.text)),
      'the hold comment',
      60_000,
    );
    expect(held.find((c) => /HOLDING/.test(c.text))!.text).toMatch(/missing consent: .*Marcus Hale/);
    // Zou caches task reads for a moment: the status shows up shortly after the comment.
    await eventually(
      () => taskStatus('COL_0120'),
      (st) => st === 'wfa',
      'the held task waiting',
      30_000,
    );

    // Let every shot settle (AI work delivered, signed and published, so no comment is still to
    // come), then every event be posted; then replay the whole log to the sync from the start.
    await eventually(
      async () => (await app.client().listShots({ show: 'NTH', limit: 100 })).shots,
      (shots) =>
        shots.every(
          (s) => !['submitted', 'routing', 'queued', 'in-progress'].includes(s.state) || s.route === 'vendor',
        ),
      'every imported shot settled',
      90_000,
    );
    await eventually(
      async () =>
        (await app.running.redis.xinfo('GROUPS', eventLogKeys(app.deployment).stream)) as unknown[][],
      (groups) =>
        groups.some((g) => {
          const field = (k: string) => g[g.indexOf(k) + 1];
          return field('name') === 'kitsu-sync' && field('pending') === 0 && field('lag') === 0;
        }),
      'the sync caught up',
      60_000,
    );
    await new Promise((r) => setTimeout(r, 1_500));
    const before = await Promise.all(seeded.map((s) => taskComments(s.name).then((c) => c.length)));
    await sync.stop();
    await app.running.redis.xgroup('SETID', eventLogKeys(app.deployment).stream, 'kitsu-sync', '0');
    await app.running.redis.del(`{sc:${app.deployment}}:kitsu:posted`);
    await sync.start();
    await new Promise((r) => setTimeout(r, 4_000));
    const after = await Promise.all(seeded.map((s) => taskComments(s.name).then((c) => c.length)));
    expect(after).toEqual(before);
  }, 180_000);

  it('loses no update when Zou stops mid-sync and comes back', async () => {
    const name = 'COL_0030';
    const shotId = (await app.client().listShots({ show: 'NTH', limit: 100 })).shots.find(
      (s) => s.request.shot === name,
    )!.id;
    await eventually(
      () => app.client().getShot(shotId),
      (s) => s.state === 'delivered',
      'the AI delivery',
      60_000,
    );
    await zou.pause();
    await app.client().approve(shotId, 'Looks right');
    await new Promise((r) => setTimeout(r, 3_000));
    await zou.restart();
    const comments = await eventually(
      () => taskComments(name),
      (cs) => cs.some((c) => /Approved in Shotcaller/.test(c.text)),
      'the approval comment',
      90_000,
    );
    expect(comments.filter((c) => /Approved in Shotcaller/.test(c.text))).toHaveLength(1);
    await eventually(
      () => taskStatus(name),
      (st) => st === 'done',
      'the task done',
      30_000,
    );

    // Approved work does not change under it: the edit is reported, not applied.
    await seed.call('PUT', `/data/entities/${shotIds.get(name)}`, { description: 'A different beat' });
    const late = (await importAll()).find((o) => o.shot === name)!;
    expect(late.outcome).toBe('changed-since-import');
    expect((await app.client().getShot(shotId)).request.brief).not.toBe('A different beat');
  }, 180_000);

  it('skips a Kitsu shot whose code is live under another shot, and imports it once that shot is cancelled', async () => {
    // A TD submitted DUP_0010 by hand before the coordinator added it to Kitsu.
    const { shot: byHand } = await app.client().submitShot(
      aShotRequest({
        shot: 'DUP_0010',
        frames: { start: 1001, end: 1024 },
        resolution: { width: 2048, height: 858 },
        brief: 'Ash drifts past the window',
        category: 'environment',
        deadline: '2027-03-12T18:00:00Z',
        budgetLine: 'NTH-EP01-VFX',
        requestedRoute: 'vendor',
        idempotencyKey: 'by-hand-dup-0010',
      }),
    );
    const { projectId, sequenceId, compositingId } = await seededIds();
    const inKitsu = await seed.call<{ id: string }>('POST', `/data/projects/${projectId}/shots`, {
      name: 'DUP_0010',
      sequence_id: sequenceId,
      description: 'Ash drifts past the window',
      data: { frame_in: 1001, frame_out: 1024, category: 'Env' },
    });
    await seed.call('POST', `/actions/projects/${projectId}/task-types/${compositingId}/shots/create-tasks`, [
      inKitsu.id,
    ]);
    const outcomeOf = async () => (await importAll()).find((o) => o.kitsuShotId === inKitsu.id)!;
    const liveOfCode = async () =>
      (await app.client().listShots({ show: 'NTH', limit: 100 })).shots.filter(
        (s) => s.request.shot === 'DUP_0010' && s.state !== 'cancelled',
      );

    for (let pass = 0; pass < 2; pass++) {
      const skipped = await outcomeOf();
      expect(skipped).toMatchObject({ outcome: 'code-taken', shotId: byHand.id });
      expect(skipped.outcome === 'code-taken' && skipped.issues[0]!.message).toMatch(
        new RegExp(`Shot code NTH/EP01/COL/DUP_0010 is taken by shot ${byHand.id}`),
      );
      expect((await liveOfCode()).map((s) => s.id)).toEqual([byHand.id]);
    }

    await app.client().cancel(byHand.id, 'the Kitsu shot is the one to keep');
    const imported = await outcomeOf();
    expect(imported.outcome).toBe('created');
    const kitsuShotId = imported.outcome === 'created' ? imported.shotId : '';
    expect(kitsuShotId).not.toBe(byHand.id);
    // Imported once: the next sync finds the same shot by its Kitsu id.
    expect(await outcomeOf()).toMatchObject({ outcome: 'unchanged', shotId: kitsuShotId });
    expect((await liveOfCode()).map((s) => s.id)).toEqual([kitsuShotId]);
  }, 180_000);

  it('watches for tasks that reach "Ready To Start" and imports them (the kitsu-sync role)', async () => {
    const { projectId, sequenceId, compositingId } = await seededIds();
    const shot = await seed.call<{ id: string }>('POST', `/data/projects/${projectId}/shots`, {
      name: 'WCH_0010',
      sequence_id: sequenceId,
      description: 'Dust settles over the square',
      data: { frame_in: 1001, frame_out: 1012, category: 'Env' },
    });
    const [task] = await seed.call<Array<{ id: string }>>(
      'POST',
      `/actions/projects/${projectId}/task-types/${compositingId}/shots/create-tasks`,
      [shot.id],
    );
    const ready = [...statusIds].find(([, short]) => short === 'ready')![0];
    await seed.call('PUT', `/data/tasks/${task!.id}`, { task_status_id: ready });

    const watcher = await runShotcaller(['api', 'router', 'kitsu-sync'], {
      events: { claimIdleMs: 1_000 },
      kitsu: {
        url: zou.url,
        ...zou.admin,
        mapping: mappingInput,
        watch: { project: 'Northern Tower', status: 'ready', everyMs: 500 },
      },
    });
    try {
      const imported = await eventually(
        () => watcher.client().listShots({ show: 'NTH', limit: 100 }),
        (r) => r.shots.some((s) => s.request.shot === 'WCH_0010'),
        'the ready shot imported',
        60_000,
      );
      // Only the task in "Ready To Start" was taken.
      expect(imported.shots.map((s) => s.request.shot)).toEqual(['WCH_0010']);
      const comments = await eventually(
        () => seed.call<Array<{ text: string }>>('GET', `/data/tasks/${task!.id}/comments`),
        (cs) => cs.some((c) => /routed this shot to/.test(c.text)),
        'the routing comment on the watched task',
        60_000,
      );
      expect(comments.filter((c) => /routed this shot to/.test(c.text))).toHaveLength(1);
    } finally {
      await watcher.running.stop();
    }
  }, 180_000);
});
