import { fileURLToPath } from 'node:url';
import { readShotFiles, ShotFileUnreadable, validateEntries } from '@shotcaller/cli';
import { describe, expect, it } from 'vitest';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('shot files', () => {
  it('maps a coordinator CSV shot list onto shot requests', () => {
    const { valid, problems } = validateEntries(readShotFiles([fixture('sequence.csv')]));
    expect(problems).toEqual([]);
    expect(valid).toHaveLength(3);
    const [first, , third] = valid;
    expect(first!.request).toMatchObject({
      show: 'NTH',
      episode: 'EP01',
      shot: 'COL_0010',
      frames: { start: 1001, end: 1048 },
      territories: ['US', 'EU'],
      idempotencyKey: 'csv:NTH:EP01:COL:COL_0010',
    });
    expect(third!.request.performers).toEqual([
      {
        id: 'p-ava',
        name: 'Ava Reyes',
        union: 'sag-aftra',
        role: 'lead',
        likeness: 'altered',
        kind: 'human',
        deceased: false,
      },
    ]);
    expect(valid.map((v) => v.line)).toEqual([2, 3, 4]);
  });

  it('reports a bad CSV row with its line number', () => {
    const { valid, problems } = validateEntries(readShotFiles([fixture('bad-row.csv')]));
    expect(valid).toHaveLength(1);
    expect(problems).toEqual([
      {
        file: fixture('bad-row.csv'),
        line: 3,
        issues: [{ path: 'frames.end', message: 'end must not be before start' }],
      },
    ]);
  });

  it('reports a bad YAML entry with the line it starts on', () => {
    const { valid, problems } = validateEntries(readShotFiles([fixture('shots.yaml')]));
    expect(valid).toHaveLength(1);
    expect(problems[0]!.line).toBe(14);
    expect(problems[0]!.issues.map((i) => i.path)).toEqual(['brief', 'category']);
  });

  it('names the file when it cannot be read or parsed', () => {
    expect(() => readShotFiles(['/nonexistent/shots.json'])).toThrow(ShotFileUnreadable);
    expect(() => readShotFiles(['/nonexistent/shots.json'])).toThrow(/shots\.json: no such file/);
  });
});
