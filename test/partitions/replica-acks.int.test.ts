import { randomBytes } from 'node:crypto';
import { ConsentRegistry } from '@shotcaller/compliance';
import { makeEvent } from '@shotcaller/contracts';
import { type RedisServerHandle, startRedisServer } from '@shotcaller/engines';
import { EventLog, ReplicationTimeout, requireReplicaAcks } from '@shotcaller/events';
import { ShotStore } from '@shotcaller/shots';
import { aConsent, aShotRequest, eventually } from '@shotcaller/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let master: RedisServerHandle;
let replica: RedisServerHandle;
let redis: Redis;
const deployment = `r-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  master = await startRedisServer();
  replica = await startRedisServer();
  const r = new Redis(replica.url);
  await r.replicaof('127.0.0.1', String(master.port));
  await eventually(
    () => r.info('replication'),
    (info) => /master_link_status:up/.test(info),
    'the replica in sync',
    20_000,
  );
  r.disconnect();
  redis = new Redis(master.url);
  requireReplicaAcks(redis, { replicas: 1, timeoutMs: 500 });
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await replica?.stop();
  await master?.stop();
});

describe('critical writes wait for a replica', () => {
  it('acknowledges a consent once the replica has it, and the replica has it', async () => {
    const registry = new ConsentRegistry(redis, deployment);
    const consent = aConsent({ id: `consent-${randomBytes(3).toString('hex')}` });
    await registry.recordConsent(consent);
    const onReplica = new Redis(replica.url);
    expect(await new ConsentRegistry(onReplica, deployment).getConsent(consent.id)).toMatchObject({
      id: consent.id,
    });
    onReplica.disconnect();
  });

  it('refuses to acknowledge a consent the replica did not get in time, and waits for nothing else', async () => {
    const store = new ShotStore(redis, deployment);
    const { shot } = await store.create(aShotRequest(), {
      submittedBy: 'td',
      source: '/test',
      now: new Date(),
    });
    // A stopped replica cannot acknowledge within 500 ms.
    const onReplica = new Redis(replica.url);
    const pid = Number(/process_id:(\d+)/.exec(await onReplica.info('server'))![1]);
    onReplica.disconnect();
    process.kill(pid, 'SIGSTOP');
    try {
      const refused = await new ConsentRegistry(redis, deployment)
        .recordConsent(aConsent({ id: `consent-${randomBytes(3).toString('hex')}` }))
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ReplicationTimeout);
      expect((refused as ReplicationTimeout).code).toBe('replication_timeout');
      expect((refused as Error).message).toMatch(/reached 0 of 1 Redis replica within 500 ms/);
      // An event that is not critical is acknowledged at once, replica or not.
      const appended = await new EventLog(redis, { deployment }).append(
        makeEvent(
          'io.shotcaller.shot.routing.started.v1',
          { shotId: shot.id, attempt: 1 },
          { source: '/test', correlationId: shot.id, subject: shot.id, show: shot.show },
        ),
      );
      expect(appended.appended).toBe(true);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  }, 20_000);
});
