import { createHash, createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import { errorMessage, ShotcallerError } from '@shotcaller/contracts';
import { Webhook } from 'standardwebhooks';

/** A webhook whose signature, timestamp or headers do not check out: answer 401 and act on nothing. */
export class WebhookRejected extends ShotcallerError {
  readonly code = 'webhook_rejected';
}

type Headers = Record<string, string | string[] | undefined>;
const header = (h: Headers, name: string): string | undefined => {
  const v = h[name] ?? h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Checks a webhook from Replicate: `webhook-id`, `webhook-timestamp` (seconds, within five minutes) and
 * `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, several space-separated), keyed
 * with the account's `whsec_…` secret (`GET /v1/webhooks/default/secret`): the Standard Webhooks scheme.
 * Returns the prediction the body carries.
 */
export function verifyReplicateWebhook(
  body: string,
  headers: Headers,
  secret: string,
): Record<string, unknown> {
  const wanted = ['webhook-id', 'webhook-timestamp', 'webhook-signature'];
  const picked = Object.fromEntries(wanted.map((n) => [n, header(headers, n) ?? '']));
  try {
    return new Webhook(secret).verify(body, picked) as Record<string, unknown>;
  } catch (error) {
    throw new WebhookRejected(`Replicate webhook refused: ${errorMessage(error)}`);
  }
}

/**
 * Checks a webhook from fal: `X-Fal-Webhook-Request-Id`, `-User-Id`, `-Timestamp` (seconds, within five
 * minutes) and `-Signature`, the hex ED25519 signature of `request id \n user id \n timestamp \n
 * sha256-hex(body)` by one of the keys of fal's JWKS (`/.well-known/jwks.json`). Returns the body:
 * `{request_id, gateway_request_id, status: OK | ERROR, payload, error?}`.
 */
export function verifyFalWebhook(
  body: string,
  headers: Headers,
  jwks: { keys: JsonWebKey[] },
  now: number = Date.now(),
): Record<string, unknown> {
  const [requestId, userId, timestamp, signature] = ['request-id', 'user-id', 'timestamp', 'signature'].map(
    (n) => header(headers, `x-fal-webhook-${n}`),
  );
  if (!requestId || !userId || !timestamp || !signature)
    throw new WebhookRejected('fal webhook refused: an X-Fal-Webhook-* header is missing');
  if (!/^\d+$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > 300)
    throw new WebhookRejected('fal webhook refused: its timestamp is more than five minutes away');
  const message = Buffer.from(
    [requestId, userId, timestamp, createHash('sha256').update(body).digest('hex')].join('\n'),
  );
  const sig = Buffer.from(signature, 'hex');
  const ok = jwks.keys.some((key) => {
    try {
      return verify(null, message, createPublicKey({ key, format: 'jwk' }), sig);
    } catch {
      return false;
    }
  });
  if (!ok) throw new WebhookRejected('fal webhook refused: no key of the JWKS signed it');
  return JSON.parse(body) as Record<string, unknown>;
}
