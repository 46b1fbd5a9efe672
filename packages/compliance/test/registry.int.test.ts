import { ConsentAlreadyRevoked, ConsentNotFound, ConsentRegistry } from '@shotcaller/compliance';
import { EventLog } from '@shotcaller/events';
import { aConsent, testRedis } from '@shotcaller/testkit';
import { afterAll, describe, expect, it } from 'vitest';

const { redis, deployment } = testRedis();
afterAll(() => redis.disconnect());

describe('the consent registry', () => {
  const registry = new ConsentRegistry(redis, deployment);
  const log = new EventLog(redis, { deployment });

  it('records a consent once, even when the call is retried, and finds it by performer', async () => {
    const consent = aConsent({ id: 'c-1', performerId: 'p-1' });
    await registry.recordConsent(consent);
    await registry.recordConsent(consent);
    expect(await registry.consentsFor(['p-1'])).toEqual([consent]);
    const types: string[] = [];
    for await (const { event } of log.replay()) types.push(event.type);
    expect(types.filter((t) => t === 'io.shotcaller.consent.recorded.v1')).toHaveLength(1);
  });

  it('revokes a consent, lists the shots that relied on it, and stops offering it', async () => {
    await registry.recordConsent(aConsent({ id: 'c-2', performerId: 'p-2' }));
    await registry.noteReliance('sh-b', ['c-2']);
    await registry.noteReliance('sh-a', ['c-2']);
    const { shotIds } = await registry.revokeConsent('c-2', {
      by: 'cleo',
      reason: 'performer withdrew',
      now: new Date(),
    });
    expect(shotIds).toEqual(['sh-a', 'sh-b']);
    expect(await registry.consentsFor(['p-2'])).toEqual([]);
    await expect(
      registry.revokeConsent('c-2', { by: 'cleo', reason: 'again', now: new Date() }),
    ).rejects.toThrow(ConsentAlreadyRevoked);
    await expect(
      registry.revokeConsent('c-none', { by: 'cleo', reason: 'x', now: new Date() }),
    ).rejects.toThrow(ConsentNotFound);
  });

  it('records approvals per show', async () => {
    await registry.recordApproval({
      id: 'ap-1',
      kind: 'final-deliverable',
      show: 'NTH',
      shotId: 'sh-1',
      approvedBy: 'legal',
      note: '',
      recordedAt: new Date().toISOString(),
    });
    expect((await registry.approvalsFor('NTH')).map((a) => a.id)).toEqual(['ap-1']);
    expect(await registry.approvalsFor('OTHER')).toEqual([]);
  });
});
