import { describe, expect, it } from 'vitest';
import { KitsuMapping, type KitsuShotContext, mapKitsuShot } from '../src/mapping';

const mapping = KitsuMapping.parse({
  show: 'NTH',
  budgetLine: 'NTH-VFX',
  deadline: '2027-01-01T18:00:00Z',
  categories: { Env: 'environment' },
});
const context = (
  data: Record<string, unknown>,
  extra: Partial<KitsuShotContext['shot']> = {},
): KitsuShotContext => ({
  project: { id: 'p1', name: 'Northern Tower', resolution: '1920x1080', fps: '25' },
  episode: 'EP01',
  sequence: 'COL',
  shot: { id: 'k-1', name: 'COL_0010', description: 'The tower falls', data, ...extra },
  taskId: 't-1',
});

describe('the Kitsu field mapping', () => {
  it('maps a shot with its custom fields, the project defaults and a source pointing at the task', () => {
    const mapped = mapKitsuShot(
      context({
        frame_in: 1001,
        frame_out: 1048,
        category: 'Env',
        performers: 'p-ava|Ava Reyes|sag-aftra|lead|altered',
      }),
      mapping,
    );
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.issues));
    expect(mapped.request).toMatchObject({
      show: 'NTH',
      episode: 'EP01',
      sequence: 'COL',
      shot: 'COL_0010',
      frames: { start: 1001, end: 1048 },
      fps: 25,
      resolution: { width: 1920, height: 1080 },
      category: 'environment',
      performers: [{ id: 'p-ava', name: 'Ava Reyes', union: 'sag-aftra', role: 'lead', likeness: 'altered' }],
      idempotencyKey: 'kitsu-k-1',
      source: { tracker: 'kitsu', shotId: 'k-1', taskId: 't-1' },
    });
  });

  it('counts frames from 1001 when Kitsu has only a frame count', () => {
    const mapped = mapKitsuShot(context({ category: 'destruction' }, { nb_frames: 24 }), mapping);
    expect(mapped.ok && mapped.request.frames).toEqual({ start: 1001, end: 1024 });
  });

  it('says which field is wrong, and every one of them', () => {
    const mapped = mapKitsuShot(context({ category: 'Explosions' }), { ...mapping, deadline: undefined });
    expect(mapped.ok).toBe(false);
    const text = mapped.ok ? '' : mapped.issues.map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(text).toMatch(/data\.frame_in: no frame range/);
    expect(text).toMatch(/category: .*Explosions/);
    expect(text).toMatch(/deadline: no deadline/);
  });
});
