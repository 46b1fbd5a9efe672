import { createHash } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type SeaweedFsHandle, startSeaweedFs } from '@shotcaller/engines';
import type { ApiError } from '@shotcaller/sdk';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { runShotcaller, tokens } from '../support/shotcaller';

const bucket = 'shotcaller-deliveries';
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const Uploads = z.object({
  uploads: z.array(
    z.object({
      uri: z.string(),
      sha256: z.string(),
      url: z.string(),
      headers: z.record(z.string(), z.string()),
    }),
  ),
});
const cleanups: Array<() => Promise<unknown>> = [];
let weed: SeaweedFsHandle;
beforeAll(async () => {
  weed = await startSeaweedFs({ buckets: [bucket] });
}, 90_000);
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await weed?.stop();
});

async function awardedTicket(storage: Record<string, unknown>) {
  const app = await runShotcaller(['api', 'router', 'vendor-worker', 'temporal-worker'], {
    temporal: { address: inject('temporalAddress'), namespace: inject('temporalNamespace') },
    vendor: { vendors: ['vendor-a', 'vendor-b'], bidWindowMs: 600_000 },
    storage,
  } as never);
  cleanups.push(() => app.running.stop());
  const { shot } = await app.client().submitShot(aShotRequest({ requestedRoute: 'vendor' }));
  await eventually(
    () => app.client().getShot(shot.id),
    (s) => s.state === 'in-progress' && !!s.vendorWorkflowId,
    'the ticket opened',
    60_000,
  );
  const ticketId = `tk-${shot.id.slice(3)}`;
  const vendor = app.client(tokens.vendorA);
  const bid = await vendor.request('POST', `/v1/vendor/tickets/${ticketId}/bids`, z.any(), {
    amount: { amountMinor: 500_000, currency: 'USD' },
    turnaroundDays: 5,
  });
  await app
    .client()
    .request('POST', `/v1/vendor/tickets/${ticketId}/award`, z.any(), { bidId: bid.data.bidId });
  return { app, shot, ticketId, vendor };
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e) => e as ApiError,
  );

describe('vendor deliveries into the store', () => {
  it('go straight to S3 on presigned URLs; a tampered upload is refused, and only verified files are delivered', async () => {
    const { app, shot, ticketId, vendor } = await awardedTicket({
      backend: 's3',
      s3: {
        endpoint: weed.endpoint,
        bucket,
        forcePathStyle: true,
        accessKeyId: weed.accessKeyId,
        secretAccessKey: weed.secretAccessKey,
      },
    });
    const plate = Buffer.from('EXR v001 of the collapse, comp');
    const { data } = await vendor.request('POST', `/v1/vendor/tickets/${ticketId}/uploads`, Uploads, {
      files: [{ name: 'COL_0010 v001.exr', sha256: sha(plate) }],
    });
    const [target] = data.uploads;
    expect(target!.url.startsWith(`${weed.endpoint}/${bucket}/deliveries/NTH/${shot.id}/`)).toBe(true);
    expect(target!.uri).toMatch(
      new RegExp(`^s3://${bucket}/deliveries/NTH/${shot.id}/[\\w-]+/COL_0010_v001\\.exr$`),
    );

    // Bytes that are not what was declared never land: the store checks the signed checksum.
    const tampered = await fetch(target!.url, {
      method: 'PUT',
      headers: target!.headers,
      body: 'EXR v001 of the collapse, c0mp',
    });
    expect(tampered.status).toBe(400);
    const notThere = await refusal(
      vendor.request('POST', `/v1/vendor/tickets/${ticketId}/deliveries`, z.any(), {
        files: [{ uri: target!.uri, sha256: sha(plate) }],
      }),
    );
    expect(notThere).toMatchObject({ status: 422, code: 'delivery_refused' });
    expect(notThere!.message).toMatch(
      /is not in the store: it was never uploaded, or the upload was refused/,
    );

    // A file swapped in the bucket behind the ticket's back is refused too, and removed.
    const client = new S3Client({
      endpoint: weed.endpoint,
      region: weed.region,
      forcePathStyle: true,
      credentials: { accessKeyId: weed.accessKeyId, secretAccessKey: weed.secretAccessKey },
    });
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: target!.uri.replace(`s3://${bucket}/`, ''),
        Body: 'swapped',
      }),
    );
    client.destroy();
    const swapped = await refusal(
      vendor.request('POST', `/v1/vendor/tickets/${ticketId}/deliveries`, z.any(), {
        files: [{ uri: target!.uri, sha256: sha(plate) }],
      }),
    );
    expect(swapped).toMatchObject({ status: 422, code: 'delivery_refused' });
    expect(swapped!.message).toContain(
      `has SHA-256 ${sha('swapped')} in the store, not the ${sha(plate)} declared`,
    );

    // A file from anywhere else is not a delivery.
    const elsewhere = await refusal(
      vendor.request('POST', `/v1/vendor/tickets/${ticketId}/deliveries`, z.any(), {
        files: [{ uri: 's3://vendor-bucket/COL/v001.exr', sha256: sha(plate) }],
      }),
    );
    expect(elsewhere!.message).toMatch(
      /is not in Shotcaller's store: ask POST \/v1\/vendor\/tickets\/.*\/uploads/,
    );

    // The real upload goes through, and the ticket records the hash the store verified.
    expect((await fetch(target!.url, { method: 'PUT', headers: target!.headers, body: plate })).status).toBe(
      200,
    );
    const delivered = await vendor.request('POST', `/v1/vendor/tickets/${ticketId}/deliveries`, z.any(), {
      files: [{ uri: target!.uri, sha256: sha(plate) }],
      note: 'first pass',
    });
    expect(delivered.data.deliveries).toEqual([
      expect.objectContaining({ version: 1, files: [{ uri: target!.uri, sha256: sha(plate) }] }),
    ]);
    const view = await app.client().getShot(shot.id);
    expect(view.state).toBe('delivered');
    // The SDK does the same in one call.
    await app.client().request('POST', `/v1/vendor/tickets/${ticketId}/review`, z.any(), {
      outcome: 'changes-requested',
      notes: 'more dust',
    });
    const v2 = (await vendor.deliver(ticketId, [{ name: 'v002.exr', bytes: Buffer.from('v002') }])) as {
      deliveries: Array<{ files: Array<{ sha256: string }> }>;
    };
    expect(v2.deliveries[1]!.files[0]!.sha256).toBe(sha('v002'));
  }, 120_000);

  it('on a directory store, the api takes the upload on its own signed URL and refuses bytes that do not match', async () => {
    const { ticketId, vendor } = await awardedTicket({});
    const { data } = await vendor.request('POST', `/v1/vendor/tickets/${ticketId}/uploads`, Uploads, {
      files: [{ name: 'v001.exr', sha256: sha('the plate') }],
    });
    const [target] = data.uploads;
    expect(target!.url).toMatch(/\/v1\/uploads\/[\w-]+\.[\w-]+$/);
    const tampered = await fetch(target!.url, { method: 'PUT', headers: target!.headers, body: 'the plat3' });
    expect(tampered.status).toBe(422);
    expect(await tampered.json()).toMatchObject({
      code: 'hash_mismatch',
      detail: expect.stringContaining(`not the declared ${sha('the plate')}; the file was refused`),
    });
    const forged = await fetch(target!.url.replace(/\.[\w-]+$/, '.forged'), {
      method: 'PUT',
      headers: target!.headers,
      body: 'the plate',
    });
    expect(forged.status).toBe(403);
    expect(
      (await fetch(target!.url, { method: 'PUT', headers: target!.headers, body: 'the plate' })).status,
    ).toBe(201);
    const delivered = await vendor.request('POST', `/v1/vendor/tickets/${ticketId}/deliveries`, z.any(), {
      files: [{ uri: target!.uri, sha256: sha('the plate') }],
    });
    expect(delivered.data.phase).toBe('in-review');
  }, 120_000);

  it('are taken only from the awarded vendor', async () => {
    const { ticketId, app } = await awardedTicket({});
    const other = await refusal(
      app.client(tokens.vendorB).deliver(ticketId, [{ name: 'a.exr', bytes: Buffer.from('a') }]),
    );
    expect(other).toMatchObject({ status: 403 });
    expect(other!.message).toMatch(/was awarded to vendor-a, not vendor-b/);
  }, 120_000);
});
