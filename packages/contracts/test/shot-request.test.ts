import {
  frameCount,
  parseOrThrow,
  repeatedShotCodes,
  ShotRequest,
  ValidationFailed,
} from '@shotcaller/contracts';
import { aShotRequest } from '@shotcaller/testkit';
import { describe, expect, it } from 'vitest';

const valid = () => {
  const { idempotencyKey, ...rest } = aShotRequest();
  return { ...rest, idempotencyKey } as Record<string, unknown>;
};
const withField = (path: string, value: unknown) => {
  const shot = structuredClone(valid());
  const keys = path.split('.');
  let node = shot as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  if (value === undefined) delete node[keys.at(-1)!];
  else node[keys.at(-1)!] = value;
  return shot;
};

function rejection(input: unknown): ValidationFailed {
  try {
    parseOrThrow(ShotRequest, input, 'shot request');
  } catch (error) {
    if (error instanceof ValidationFailed) return error;
    throw error;
  }
  throw new Error('expected the input to be rejected');
}

describe('a shot request', () => {
  it('accepts a complete request and fills the documented defaults', () => {
    const shot = parseOrThrow(ShotRequest, valid(), 'shot request');
    expect(shot.fps).toBe(24);
    expect(shot.requestedRoute).toBe('auto');
    expect(shot.priority).toBe('normal');
    expect(shot.performers).toEqual([]);
    expect(frameCount(shot.frames)).toBe(48);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['a missing show', withField('show', undefined), /: show: is required/],
    ['a show code with spaces', withField('show', 'Big Show'), /show: a show code/],
    ['frames as a string', withField('frames', '1001-1048'), /: frames: Invalid input: expected object/],
    [
      'an end frame before the start',
      withField('frames', { start: 1048, end: 1001 }),
      /frames\.end: end must not be before start/,
    ],
    [
      'a negative start frame',
      withField('frames', { start: -1, end: 10 }),
      /frames\.start: must not be negative/,
    ],
    ['a fractional frame', withField('frames', { start: 1.5, end: 10 }), /frames\.start/],
    [
      'a tiny width',
      withField('resolution', { width: 8, height: 1080 }),
      /resolution\.width: must be at least 16/,
    ],
    ['an unknown category', withField('category', 'explosion'), /category: /],
    ['an empty brief', withField('brief', '   '), /brief: must describe the shot/],
    ['no territories', withField('territories', []), /territories: must name at least one/],
    ['a lower-case territory', withField('territories', ['fr']), /territories\[0\]: must be an ISO 3166/],
    [
      'a deadline with no time zone',
      withField('deadline', '2027-03-01T18:00:00'),
      /deadline: must be an ISO 8601/,
    ],
    ['an unknown route', withField('requestedRoute', 'robots'), /requestedRoute: /],
    ['an unknown field', withField('colour', 'blue'), /colour: unknown field/],
    [
      'a performer with an unknown likeness use',
      withField('performers', [{ id: 'p', name: 'P', likeness: 'cloned' }]),
      /performers\[0\]\.likeness/,
    ],
    [
      'a performer with an unknown field',
      withField('performers', [{ id: 'p', name: 'P', age: 40 }]),
      /performers\[0\]\.age: unknown field/,
    ],
    ['a missing idempotency key', withField('idempotencyKey', undefined), /idempotencyKey: /],
    ['a negative fps', withField('fps', -24), /fps: must be positive/],
    [
      'a reference asset with unknown rights',
      withField('referenceAssets', [{ uri: 'x', rights: 'stolen' }]),
      /referenceAssets\[0\]\.rights/,
    ],
    ['a deliverable that is not a kind', withField('deliverable', 'final-final'), /deliverable: /],
  ];

  it.each(bad)('rejects %s, naming the field', (_what, input, message) => {
    const error = rejection(input);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(message);
  });

  it('rejects a non-object with a message about the whole value', () => {
    expect(rejection('shot please').issues[0]!.path).toBe('');
  });
});

describe('a list of shot requests', () => {
  it('names each request that repeats an earlier one’s shot code', () => {
    const first = aShotRequest({ sequence: 'BAD', shot: 'BAD_9999' });
    const other = aShotRequest({ sequence: 'BAD', shot: 'BAD_0010' });
    const again = aShotRequest({ sequence: 'BAD', shot: 'BAD_9999' });
    const thirdTime = aShotRequest({ sequence: 'BAD', shot: 'BAD_9999' });
    // Another episode is another shot, whatever its sequence and shot.
    const otherEpisode = aShotRequest({ episode: 'EP02', sequence: 'BAD', shot: 'BAD_9999' });
    expect(repeatedShotCodes([first, other, undefined, again, otherEpisode, thirdTime])).toEqual(
      new Map([
        [3, 0],
        [5, 0],
      ]),
    );
  });

  it('takes the same request twice for one submission, but not the same key with other content', () => {
    const request = aShotRequest();
    expect(repeatedShotCodes([request, { ...request }]).size).toBe(0);
    expect(repeatedShotCodes([request, { ...request, brief: 'Another take on it' }])).toEqual(
      new Map([[1, 0]]),
    );
  });
});
