import { deploymentPrefix } from '@shotcaller/events';

/** Redis keys of dashboard sign-in: both are found by the SHA-256 of a cookie's value, never the value itself. */
export function signInKeys(deployment: string) {
  const p = `${deploymentPrefix(deployment)}auth:`;
  return {
    /** A signed-in person's session. */
    session: (idHash: string) => `${p}session:${idHash}`,
    /** A sign-in on its way through the provider: state, nonce and PKCE verifier. */
    pending: (idHash: string) => `${p}pending:${idHash}`,
  };
}
