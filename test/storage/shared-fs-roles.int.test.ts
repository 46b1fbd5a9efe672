import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { stopProcess } from '../support/role-process';
import { startApiProcess, startRoleProcess } from '../support/role-processes';
import { runShotcaller, tokens } from '../support/shotcaller';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const Outputs = z.object({
  outputs: z.array(
    z.object({ uri: z.string(), sha256: z.string(), url: z.string(), paths: z.array(z.string()) }),
  ),
});
const Credentials = z.object({ verdict: z.string(), binding: z.string(), aiGenerated: z.boolean() });

describe('frames on shared storage, with a path mapping', () => {
  it('a file the farm writes under its mount point is served by an api that mounts the share elsewhere', async () => {
    // One share, two mount points: the render farm's and the artists' (a symlink stands in for a second mount).
    const share = mkdtempSync(join(tmpdir(), 'share-'));
    const farm = join(share, 'mnt-shows');
    const artist = join(share, 'Volumes-shows');
    mkdirSync(join(farm, 'shotcaller'), { recursive: true });
    symlinkSync(farm, artist);
    const mappings = [[farm, artist, 'S:\\shows']];

    const router = await runShotcaller(['router']);
    cleanups.push(() => router.running.stop());
    const api = await startApiProcess(router.deployment, {
      storage: { backend: 'shared-fs', root: join(artist, 'shotcaller'), pathMappings: mappings },
    });
    cleanups.push(() => api.stop());
    const worker = startRoleProcess('genai-worker', router.deployment, {
      storage: { backend: 'shared-fs', root: join(farm, 'shotcaller'), pathMappings: mappings },
    });
    cleanups.push(() => stopProcess(worker.process, 'SIGTERM'));

    const { shot } = await api.client().submitShot(
      aShotRequest({
        shot: 'FS_0010',
        category: 'environment',
        deliverable: 'temp',
        frames: { start: 1, end: 4 },
      }),
    );
    const done = await eventually(
      () => api.client().getShot(shot.id),
      (s) => s.state === 'delivered',
      'the shot delivered',
      90_000,
    );
    const completed = done.history!.find((e) => e.type === 'io.shotcaller.genai.task.completed.v2')!.data as {
      outputs: Array<{ uri: string; sha256: string }>;
    };
    // Events carry the path as the farm wrote it…
    expect(completed.outputs[0]!.uri).toBe(
      `file://${farm}/shotcaller/outputs/NTH/${shot.id}/attempt-1/FS_0010.0001.png`,
    );

    // …and the api, which knows the share only under the artists' mount point, maps it and serves the frame.
    const { data } = await api.client().request('GET', `/v1/shots/${shot.id}/outputs`, Outputs);
    for (const [i, o] of data.outputs.entries()) {
      expect(o.url).toBe(`/v1/shots/${shot.id}/outputs/${i}`);
      const served = await fetch(`${api.baseUrl}${o.url}`, {
        headers: { authorization: `Bearer ${tokens.td}` },
      });
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(sha(Buffer.from(await served.arrayBuffer()))).toBe(completed.outputs[i]!.sha256);
      // A client handed the artists' path opens the same bytes there; a Windows artist gets its drive path.
      const [own, farmPath, windows] = o.paths;
      expect(own).toBe(`${artist}/shotcaller/outputs/NTH/${shot.id}/attempt-1/FS_0010.000${i + 1}.png`);
      expect(farmPath).toBe(`${farm}/shotcaller/outputs/NTH/${shot.id}/attempt-1/FS_0010.000${i + 1}.png`);
      expect(windows).toBe(
        `S:\\shows\\shotcaller\\outputs\\NTH\\${shot.id}\\attempt-1\\FS_0010.000${i + 1}.png`,
      );
      expect(sha(readFileSync(own!))).toBe(o.sha256);
    }
    // The api reads a frame through its own mount point and finds its Content Credentials whole.
    const { data: credentials } = await api
      .client()
      .request('GET', `/v1/shots/${shot.id}/outputs/1/credentials`, Credentials);
    expect(credentials).toMatchObject({ verdict: 'valid', binding: 'embedded', aiGenerated: true });
  }, 180_000);

  it('refuses to start a role whose share is not mounted, saying so', async () => {
    const router = await runShotcaller(['router']);
    cleanups.push(() => router.running.stop());
    const missing = join(mkdtempSync(join(tmpdir(), 'share-')), 'not-mounted');
    const worker = startRoleProcess(
      'genai-worker',
      router.deployment,
      { storage: { backend: 'shared-fs', root: missing } },
      { stderr: 'pipe' },
    );
    let stderr = '';
    worker.process.stderr?.on('data', (c) => {
      stderr += c;
    });
    const code = await new Promise((r) => worker.process.once('exit', r));
    expect(code).not.toBe(0);
    expect(stderr).toContain(`${missing} does not exist on this machine: is the share mounted?`);
  }, 60_000);
});
