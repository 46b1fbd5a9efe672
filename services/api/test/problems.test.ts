import { describe, expect, it } from 'vitest';
import { toProblem } from '../src/problems';

describe('a problem document for an error Redis gave', () => {
  it.each([
    'CLUSTERDOWN The cluster is down',
    'Too many Cluster redirections. Last error: Error: Connection is closed.',
    'LOADING Redis is loading the dataset in memory',
    'connect ECONNREFUSED 127.0.0.1:6390',
  ])('"%s" is a 503 redis_unavailable that names it, with no Retry-After', (message) => {
    const problem = toProblem(new Error(message), '/requests/1');
    expect(problem).toMatchObject({ status: 503, code: 'redis_unavailable' });
    expect(problem.detail).toContain(message);
    // A client resends a 503 with Retry-After by itself; this write may have landed.
    expect(problem.retryAfterSeconds).toBeUndefined();
  });

  it('a refusal Redis means (a wrong key type) stays an internal error', () => {
    const problem = toProblem(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'));
    expect(problem).toMatchObject({ status: 500, code: 'internal_error' });
  });
});
