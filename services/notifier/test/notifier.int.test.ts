import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { makeEvent } from '@shotcaller/contracts';
import { EventLog } from '@shotcaller/events';
import { Notifier } from '@shotcaller/notifier';
import { createLogger, type Logger, loadConfig } from '@shotcaller/platform';
import { eventually, testRedis } from '@shotcaller/testkit';
import { Redis } from 'ioredis';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';

const secret = `whsec_${randomBytes(24).toString('base64')}`;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A webhook receiver that verifies like any Standard Webhooks receiver: signature, timestamp, and replays by id. */
async function receiver(failFirst = 0) {
  const verifier = new Webhook(secret);
  const seen = new Set<string>();
  const deliveries: Delivery[] = [];
  const accepted: unknown[] = [];
  let failures = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      let status = 204;
      try {
        verifier.verify(body, req.headers as Record<string, string>);
        const id = String(req.headers['webhook-id']);
        if (failures < failFirst) {
          failures++;
          status = 500;
        } else if (seen.has(id)) status = 409;
        else {
          seen.add(id);
          accepted.push(JSON.parse(body));
        }
      } catch {
        status = 400;
      }
      deliveries.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  const send = (d: Delivery, body = d.body) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': String(d.headers['webhook-id']),
        'webhook-timestamp': String(d.headers['webhook-timestamp']),
        'webhook-signature': String(d.headers['webhook-signature']),
      },
      body,
    }).then((r) => r.status);
  return { url, deliveries, accepted, send };
}

async function smtpServer() {
  const mails: Array<{ to: string; subject: string; text: string }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        mails.push({
          to: String((mail.to as { text: string }).text),
          subject: mail.subject ?? '',
          text: mail.text ?? '',
        });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { port: (server.server.address() as AddressInfo).port, mails };
}

async function startNotifier(
  redis: Redis,
  deployment: string,
  notify: Record<string, unknown>,
  options: { connection?: Redis; logger?: Logger; claimIdleMs?: number } = {},
) {
  const config = loadConfig({
    env: {},
    overrides: {
      deployment,
      notify: { attempts: 6, backoffMs: 50, ...notify },
      ...(options.claimIdleMs ? { events: { claimIdleMs: options.claimIdleMs } } : {}),
    },
  });
  const notifier = new Notifier({
    redis,
    connection: options.connection ?? redis,
    config,
    logger: options.logger ?? createLogger({ role: 'notifier', level: 'silent' }),
    consumerName: 'n1',
  });
  await notifier.start();
  cleanups.push(() => notifier.close());
  return notifier;
}

const alert = (n: number) =>
  makeEvent(
    'io.shotcaller.compliance.alert.raised.v1',
    {
      alertId: `alert-${n}`,
      ruleId: 'sag-aftra-2023.digital-alteration-consent',
      severity: 'high',
      title: 'Digital alteration without consent',
      source: 'SAG-AFTRA 2023 TV/Theatrical Agreement',
      message: 'Shot COL_0030 alters the face of Ava Reyes and no consent is on file.',
      shotId: 'sh-1',
      missing: [
        {
          kind: 'consent',
          ruleId: 'r',
          performerId: 'p-ava',
          description: 'consent of Ava Reyes to digital alteration',
        },
      ],
    },
    { source: '/test', correlationId: 'sh-1', subject: 'sh-1', show: 'NTH' },
  );

function setup() {
  const { redis, deployment, url } = testRedis();
  cleanups.push(() => redis.disconnect());
  return { redis, deployment, url, log: new EventLog(redis, { deployment }) };
}

/** A logger whose lines the test reads back. */
function capturedLogger() {
  const out = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  out.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().trim().split('\n')) lines.push(JSON.parse(line));
  });
  return { logger: createLogger({ role: 'notifier', destination: out }), lines };
}

describe('the notifier', () => {
  it('delivers an alert as a Standard Webhook the receiver can verify, and the receiver rejects a replay or a tampered copy', async () => {
    const { redis, deployment, log } = setup();
    const hook = await receiver();
    await startNotifier(redis, deployment, { webhooks: [{ id: 'desk', url: hook.url, secret }] });
    const event = alert(1);
    await log.append(event);
    await eventually(
      () => hook.accepted.length,
      (n) => n === 1,
      'the alert delivered',
    );
    expect(hook.accepted[0]).toMatchObject({
      type: event.type,
      data: { id: event.id, data: { alertId: 'alert-1' } },
    });
    const original = hook.deliveries[0]!;
    expect(original.headers['webhook-signature']).toMatch(/^v1,/);
    expect(await hook.send(original)).toBe(409);
    expect(await hook.send(original, original.body.replace('alert-1', 'alert-9'))).toBe(400);
    expect(hook.accepted).toHaveLength(1);
  });

  it('retries a receiver that fails three times, which then gets the alert exactly once', async () => {
    const { redis, deployment, log } = setup();
    const hook = await receiver(3);
    await startNotifier(redis, deployment, { webhooks: [{ id: 'desk', url: hook.url, secret }] });
    await log.append(alert(2));
    await eventually(
      () => hook.accepted.length,
      (n) => n === 1,
      'the alert delivered after retries',
    );
    expect(hook.deliveries.map((d) => d.status)).toEqual([500, 500, 500, 204]);
    // The same webhook id on every attempt, so a receiver can dedupe.
    expect(new Set(hook.deliveries.map((d) => d.headers['webhook-id'])).size).toBe(1);
  });

  it('logs an event it could not queue, and delivers it once Redis takes the job', async () => {
    const { redis, deployment, url, log } = setup();
    const hook = await receiver();
    // The queue's connection may do anything but run scripts, which is how BullMQ adds and takes jobs.
    const user = `notifier-${deployment}`;
    await redis.acl('SETUSER', user, 'on', '>secret', '~*', '&*', '+@all', '-@scripting');
    cleanups.push(async () => {
      await redis.acl('DELUSER', user);
    });
    const restricted = new Redis(url, { username: user, password: 'secret', maxRetriesPerRequest: null });
    cleanups.push(() => restricted.disconnect());
    const { logger, lines } = capturedLogger();
    await startNotifier(
      redis,
      deployment,
      { webhooks: [{ id: 'desk', url: hook.url, secret }] },
      { connection: restricted, logger, claimIdleMs: 300 },
    );
    const event = alert(7);
    await log.append(event);
    await eventually(
      () => lines,
      (all) =>
        all.some((l) => l.eventId === event.id && l.deadLettered === false && /NOPERM/.test(String(l.err))),
      'the refused event logged with its id',
    );
    expect(hook.accepted).toHaveLength(0);
    await eventually(
      () => lines,
      (all) => all.some((l) => l.msg === 'notify queue worker error' && /NOPERM/.test(String(l.err))),
      'the refused worker logged',
    );

    await redis.acl('SETUSER', user, '+@scripting');
    await eventually(
      () => hook.accepted.length,
      (n) => n === 1,
      'the alert delivered once the queue takes jobs',
    );
  });

  it('sends an event appended twice only once', async () => {
    const { redis, deployment, log } = setup();
    const hook = await receiver();
    await startNotifier(redis, deployment, { webhooks: [{ id: 'desk', url: hook.url, secret }] });
    const event = alert(3);
    await log.append(event);
    await log.append({ ...event });
    await log.append(alert(4));
    await eventually(
      () => hook.accepted.length,
      (n) => n === 2,
      'two alerts delivered',
    );
    expect(hook.deliveries).toHaveLength(2);
  });

  it('dead-letters a notification that never gets through, and an admin can re-drive it', async () => {
    const { redis, deployment, log } = setup();
    const hook = await receiver(3);
    const notifier = await startNotifier(redis, deployment, {
      webhooks: [{ id: 'desk', url: hook.url, secret }],
      attempts: 3,
    });
    await log.append(alert(5));
    const [dead] = await eventually(
      () => notifier.deadLetters(),
      (d) => d.length === 1,
      'a dead notification',
    );
    expect(dead).toMatchObject({
      targetId: 'webhook:desk',
      error: 'Delivery to desk failed: HTTP 500',
      attempts: 3,
    });
    await notifier.redrive(dead!.jobId);
    await eventually(
      () => hook.accepted.length,
      (n) => n === 1,
      'the re-driven alert delivered',
    );
  });

  it('e-mails an alert through an SMTP server', async () => {
    const { redis, deployment, log } = setup();
    const smtp = await smtpServer();
    await startNotifier(redis, deployment, {
      email: [{ id: 'compliance', to: ['compliance@studio.test'] }],
      smtp: {
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        from: 'Shotcaller <shotcaller@studio.test>',
      },
    });
    await log.append(alert(6));
    const [mail] = await eventually(
      () => smtp.mails,
      (m) => m.length === 1,
      'an e-mail',
    );
    expect(mail!.to).toBe('compliance@studio.test');
    expect(mail!.subject).toBe('[Shotcaller high] Digital alteration without consent — shot sh-1');
    expect(mail!.text).toContain('consent of Ava Reyes to digital alteration');
  });

  it('leaves out events no target asked for', async () => {
    const { redis, deployment, log } = setup();
    const hook = await receiver();
    await startNotifier(redis, deployment, {
      webhooks: [{ id: 'desk', url: hook.url, secret, types: ['budget.threshold.'] }],
    });
    await log.append(alert(7));
    await log.append(
      makeEvent(
        'io.shotcaller.budget.threshold.crossed.v1',
        {
          lineId: 'NTH-VFX',
          show: 'NTH',
          thresholdPercent: 80,
          direction: 'up',
          measure: 'estimated-final',
          value: { amountMinor: 81, currency: 'USD' },
          budget: { amountMinor: 100, currency: 'USD' },
        },
        { source: '/test', correlationId: 'NTH-VFX', show: 'NTH' },
      ),
    );
    await eventually(
      () => hook.accepted.length,
      (n) => n === 1,
      'the budget alert',
    );
    expect((hook.accepted[0] as { type: string }).type).toBe('io.shotcaller.budget.threshold.crossed.v1');
  });
});
