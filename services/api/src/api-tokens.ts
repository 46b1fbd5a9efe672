import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseOrThrow } from '@shotcaller/contracts';
import { TokenEntry } from '@shotcaller/platform';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Identity } from './auth';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const TokensFile = z.strictObject({ tokens: z.array(TokenEntry) });

/** Reads a tokens file (`tokens:` list of name, sha256, role, shows). */
export function readTokensFile(path: string): TokenEntry[] {
  return parseOrThrow(TokensFile, parseYaml(readFileSync(path, 'utf8')), `tokens file ${path}`).tokens;
}

/** The configured API tokens, found by their hash; the plain token is never stored or logged. */
export class ApiTokens {
  private readonly byHash: Map<string, TokenEntry>;

  constructor(entries: readonly TokenEntry[]) {
    this.byHash = new Map(entries.map((e) => [e.sha256, e]));
  }

  /** The identity of a token, or undefined when no configured token has its hash. */
  find(token: string): Identity | undefined {
    const hash = hashToken(token);
    const entry = this.byHash.get(hash);
    // Compare in constant time as well, so a timing side channel cannot find a hash prefix.
    if (!entry || !timingSafeEqual(Buffer.from(entry.sha256), Buffer.from(hash))) return undefined;
    return {
      id: `token:${entry.sha256.slice(0, 16)}`,
      subject: `token:${entry.name}`,
      name: entry.name,
      by: 'api-token',
      grants: [
        {
          role: entry.role,
          shows: entry.shows.includes('*') ? '*' : entry.shows,
          ...(entry.vendorId ? { vendorId: entry.vendorId } : {}),
        },
      ],
    };
  }
}
