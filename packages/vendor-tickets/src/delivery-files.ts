import { createHash, randomBytes } from 'node:crypto';
import {
  formatOfName,
  type SigningIdentity,
  shotRefOf,
  sidecarName,
  signSidecar,
} from '@shotcaller/provenance';
import type { ShotRecord } from '@shotcaller/shots';
import {
  type ArtifactStore,
  deliveryPrefix,
  NotInStore,
  ObjectNotFound,
  safeName,
} from '@shotcaller/storage';
import { z } from 'zod';
import { DeliveryRefused } from './errors';
import type { DeliveryInput } from './ticket';

const Sha256 = z.string().regex(/^[a-f0-9]{64}$/, 'must be the file’s SHA-256 in lowercase hex');

/** What a vendor is about to upload: each file's name and the SHA-256 the store will hold it to. */
export const UploadRequest = z.strictObject({
  files: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(200),
        sha256: Sha256,
        contentType: z.string().min(1).optional(),
      }),
    )
    .min(1)
    .max(1_000),
});
export type UploadRequest = z.infer<typeof UploadRequest>;

/** Where one upload of a file for a shot goes: a fresh folder per upload, so a re-upload never overwrites a delivered version. */
export function deliveryKey(ticket: { show: string; shotId: string }, name: string): string {
  const upload = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  return `${deliveryPrefix(ticket.show, ticket.shotId)}/${upload}/${safeName(name)}`;
}

/**
 * Checks a delivery against the store before the ticket records it: every file must be one uploaded
 * for this shot, be there, and have the SHA-256 the vendor declares. A file whose bytes differ is
 * removed, so nothing unverified stays where deliveries live.
 */
export async function checkDeliveredFiles(
  store: ArtifactStore,
  ticket: { show: string; shotId: string; ticketId: string },
  files: DeliveryInput['files'],
): Promise<void> {
  const prefix = `${deliveryPrefix(ticket.show, ticket.shotId)}/`;
  const how = `ask POST /v1/vendor/tickets/${ticket.ticketId}/uploads for an upload URL, upload the file to it, then deliver the uri it gave`;
  for (const file of files) {
    let key: string;
    try {
      key = store.keyOf(file.uri);
    } catch (error) {
      if (error instanceof NotInStore)
        throw new DeliveryRefused(`${file.uri} is not in Shotcaller's store: ${how}`);
      throw error;
    }
    if (!key.startsWith(prefix))
      throw new DeliveryRefused(`${file.uri} was not uploaded for this ticket: ${how}`);
    const held = await store.digest(key).catch((error) => {
      if (error instanceof ObjectNotFound)
        throw new DeliveryRefused(
          `${file.uri} is not in the store: it was never uploaded, or the upload was refused because its bytes did not match the SHA-256 declared for it; upload it again`,
        );
      throw error;
    });
    if (held.sha256 !== file.sha256) {
      await store.delete(key);
      throw new DeliveryRefused(
        `${file.uri} has SHA-256 ${held.sha256} in the store, not the ${file.sha256} declared: the file was removed; upload it again`,
      );
    }
  }
}

/**
 * Content Credentials for a delivery Shotcaller records: a `.c2pa` sidecar beside each file, signed by
 * Shotcaller, bound to the vendor's exact bytes by their SHA-256 (already checked), saying who delivered
 * it for which shot and ticket, and that training and data mining are not allowed. The vendor's bytes
 * are never changed (they are what the vendor declared and hashed, and may carry the vendor's own
 * credentials); a file that is itself a `.c2pa` manifest gets none.
 */
export async function recordDeliveryCredentials(
  store: ArtifactStore,
  identity: SigningIdentity,
  ticket: { shot: ShotRecord; ticketId: string; vendorId: string },
  files: DeliveryInput['files'],
  now = new Date(),
): Promise<Array<{ uri: string; sidecarUri: string }>> {
  const { shot } = ticket;
  const written: Array<{ uri: string; sidecarUri: string }> = [];
  for (const file of files) {
    const key = store.keyOf(file.uri);
    const name = key.slice(key.lastIndexOf('/') + 1);
    if (name.toLowerCase().endsWith('.c2pa')) continue;
    const sidecar = await signSidecar(
      file.sha256,
      formatOfName(name),
      {
        kind: 'delivered',
        title: name,
        shot: shotRefOf(shot),
        vendorId: ticket.vendorId,
        ticketId: ticket.ticketId,
        sha256: file.sha256,
        receivedAt: now,
      },
      identity,
    );
    const sidecarKey = `${key.slice(0, key.length - name.length)}${sidecarName(name)}`;
    const stored = await store.put(
      sidecarKey,
      { bytes: sidecar },
      { sha256: createHash('sha256').update(sidecar).digest('hex'), contentType: 'application/c2pa' },
    );
    written.push({ uri: file.uri, sidecarUri: stored.uri });
  }
  return written;
}
