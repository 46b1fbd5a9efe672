import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@shotcaller/engines';

/** What the C2PA reference implementation (c2pa-rs, through c2pa-python) makes of one file. */
export interface ReferenceReading {
  file: string;
  /** c2pa-rs's validation state: Valid (signature and bindings hold), Trusted (and the signer chains to a trust anchor), Invalid. */
  state?: string;
  /** Its validation status codes (failures and untrusted signers). */
  status?: string[];
  explanations?: string[];
  manifest?: {
    title?: string;
    claim_generator_info?: Array<{ name: string; version?: string }>;
    assertions: Array<{ label: string; data: Record<string, unknown> }>;
    ingredients?: Array<{ title?: string; relationship?: string; metadata?: Record<string, unknown> }>;
    signature_info?: { common_name?: string; issuer?: string; alg?: string };
  };
  error?: string;
}

const python = () => {
  const bin = join(repoRoot(), '.tools/venv/bin/python');
  if (!existsSync(bin))
    throw new Error(`c2pa-python is not installed: run bash infra/bootstrap.sh (${bin} missing)`);
  return bin;
};

/**
 * Reads files with c2pa-python (test/support/c2pa_read.py): `file` or `file=sidecar`. With trust
 * anchors, a signer that chains to one of them makes the state `Trusted`.
 */
export async function readWithReference(
  files: string[],
  options: { trustAnchors?: string } = {},
): Promise<{ sdk: string; files: ReferenceReading[] }> {
  const args = [
    join(repoRoot(), 'test/support/c2pa_read.py'),
    ...(options.trustAnchors ? ['--trust-anchors', options.trustAnchors] : []),
    ...files,
  ];
  const { stdout } = await promisify(execFile)(python(), args, { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as { sdk: string; files: ReferenceReading[] };
}
