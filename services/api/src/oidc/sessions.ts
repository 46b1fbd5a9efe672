import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '@shotcaller/events';
import { z } from 'zod';
import { signInKeys } from './keys';

/** A dashboard session: the ID token's claims (mapped to roles on every request, so a changed mapping applies at once). */
export const Session = z.object({
  claims: z.record(z.string(), z.unknown()),
  /** Sent back to the provider as `id_token_hint` when the person signs out. */
  idToken: z.string().optional(),
  createdAt: z.string(),
});
export type Session = z.infer<typeof Session>;

/** A sign-in between the redirect to the provider and its return. */
export const PendingSignIn = z.object({
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  /** The dashboard page to return to (a `#/…` fragment of this origin only). */
  returnTo: z.string(),
});
export type PendingSignIn = z.infer<typeof PendingSignIn>;

const pendingTtlSeconds = 600;
const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

/**
 * Sessions and pending sign-ins in Redis, shared by every api replica. A cookie holds only a random
 * id; Redis holds its hash, so neither a leaked dump nor a log line can be replayed as a cookie.
 */
export class SessionStore {
  private readonly keys;

  constructor(
    private readonly redis: RedisClient,
    deployment: string,
    private readonly ttlSeconds: number,
  ) {
    this.keys = signInKeys(deployment);
  }

  /** Stores a new session; returns the cookie value that names it. */
  async create(session: Session): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.redis.set(this.keys.session(hashOf(id)), JSON.stringify(session), 'EX', this.ttlSeconds);
    return id;
  }

  async get(id: string): Promise<Session | undefined> {
    const raw = await this.redis.get(this.keys.session(hashOf(id)));
    return raw ? Session.parse(JSON.parse(raw)) : undefined;
  }

  /** Ends a session; returns what it was, for the provider's sign-out. */
  async end(id: string): Promise<Session | undefined> {
    const raw = await this.redis.getdel(this.keys.session(hashOf(id)));
    return raw ? Session.parse(JSON.parse(raw)) : undefined;
  }

  async begin(pending: PendingSignIn): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.redis.set(this.keys.pending(hashOf(id)), JSON.stringify(pending), 'EX', pendingTtlSeconds);
    return id;
  }

  /** The pending sign-in, once: a replayed callback finds nothing. */
  async take(id: string): Promise<PendingSignIn | undefined> {
    const raw = await this.redis.getdel(this.keys.pending(hashOf(id)));
    return raw ? PendingSignIn.parse(JSON.parse(raw)) : undefined;
  }
}
