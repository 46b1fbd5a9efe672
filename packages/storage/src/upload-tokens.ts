import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ShotcallerError } from '@shotcaller/contracts';
import { z } from 'zod';

const Claims = z.strictObject({
  key: z.string(),
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  contentType: z.string(),
  exp: z.int(),
});
export type UploadClaims = z.infer<typeof Claims>;

export class UploadTokenInvalid extends ShotcallerError {
  readonly code = 'upload_token_invalid';
}

/**
 * Signed upload URLs for stores without their own (a directory): the token says which key takes
 * which bytes until when, signed with HMAC-SHA256, so the upload route needs no bearer token, like an
 * S3 presigned URL. Replicas that share `secret` accept each other's tokens.
 */
export class UploadTokens {
  private readonly secret: Buffer;

  constructor(secret?: string) {
    this.secret = secret ? Buffer.from(secret) : randomBytes(32);
  }

  sign(claims: UploadClaims): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  verify(token: string, now = Date.now()): UploadClaims {
    const [body, mac] = token.split('.');
    const expected = body ? this.mac(body) : '';
    if (
      !body ||
      !mac ||
      mac.length !== expected.length ||
      !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))
    )
      throw new UploadTokenInvalid('This upload URL is not valid: ask the ticket for a new one');
    const claims = Claims.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    if (!claims.success)
      throw new UploadTokenInvalid('This upload URL is not valid: ask the ticket for a new one');
    if (claims.data.exp * 1000 < now)
      throw new UploadTokenInvalid('This upload URL has expired: ask the ticket for a new one');
    return claims.data;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
