import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { errorMessage } from '@shotcaller/contracts';
import { loadConfig } from '@shotcaller/platform';
import {
  type CredentialsReport,
  loadTrustAnchors,
  MAX_SIDECAR_BYTES,
  MAX_VERIFY_BYTES,
  sidecarName,
  verifyCredentials,
  verifyOptionsFor,
} from '@shotcaller/provenance';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes';
import type { CommandContext } from './shots';

function refused(file: string, code: string, why: string): CredentialsReport {
  return {
    file,
    format: 'unknown',
    binding: 'none',
    verdict: 'unreadable',
    summary: `${file}: ${why}`,
    problems: [{ code, explanation: why }],
    actions: [],
    aiGenerated: false,
    ingredients: [],
    trainingMining: {},
  };
}

/** The `.c2pa` sidecar C2PA tools look for beside a file (`name.c2pa`), or `name.ext.c2pa`. */
async function sidecarOf(path: string): Promise<{ name: string; bytes: Buffer } | undefined> {
  for (const candidate of [join(dirname(path), sidecarName(basename(path))), `${path}.c2pa`]) {
    const s = await stat(candidate).catch(() => undefined);
    if (!s?.isFile() || s.size > MAX_SIDECAR_BYTES) continue;
    return { name: basename(candidate), bytes: await readFile(candidate) };
  }
  return undefined;
}

/** Reads one file and checks its Content Credentials; every failure becomes a report, never a throw. */
export async function verifyFile(
  path: string,
  options: Parameters<typeof verifyCredentials>[1],
): Promise<CredentialsReport> {
  const s = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (s instanceof Error)
    return refused(
      path,
      'file.missing',
      s.code === 'ENOENT' ? 'no such file' : `cannot read it (${s.code ?? s.message})`,
    );
  if (s.isDirectory()) return refused(path, 'file.directory', 'a directory, not a file');
  if (!s.isFile()) return refused(path, 'file.special', 'not a regular file');
  if (path.toLowerCase().endsWith('.c2pa'))
    return refused(
      path,
      'file.sidecar',
      'a .c2pa sidecar: verify the file it belongs to (the sidecar is found beside it)',
    );
  if (s.size > MAX_VERIFY_BYTES)
    return refused(path, 'file.tooLarge', `larger than ${MAX_VERIFY_BYTES} bytes`);
  try {
    const [bytes, sidecar] = await Promise.all([readFile(path), sidecarOf(path)]);
    return await verifyCredentials({ name: path, bytes, ...(sidecar ? { sidecar } : {}) }, options);
  } catch (error) {
    return refused(
      path,
      'file.unreadable',
      `cannot read it (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`,
    );
  }
}

function details(r: CredentialsReport): string[] {
  const out = [r.summary];
  if (r.verdict === 'invalid' && r.signer)
    out.push('  (what follows is what the manifest claims: it does not hold)');
  if (r.signer) {
    out.push(`  signed by   ${r.signer.subject}`);
    out.push(
      `  issued by   ${r.signer.issuer} (${r.signer.algorithm}, valid until ${r.signer.notAfter.slice(0, 10)})`,
    );
    out.push(`  trust       ${r.trust}`);
  }
  for (const a of r.actions)
    out.push(
      `  action      ${a.action}${a.digitalSourceType ? ` (${a.digitalSourceType.replace(/^.*\//, '')})` : ''}${a.softwareAgent ? ` by ${a.softwareAgent}` : ''}`,
    );
  for (const i of r.ingredients)
    out.push(
      `  ingredient  ${i.relationship ?? '?'} ${i.title ?? '(untitled)'}${i.sha256 ? ` sha256 ${i.sha256.slice(0, 16)}…` : ' (not hashed)'}`,
    );
  const refusedUses = Object.entries(r.trainingMining)
    .filter(([, v]) => v === 'notAllowed')
    .map(([k]) => k);
  if (refusedUses.length > 0) out.push(`  not allowed ${refusedUses.join(', ')}`);
  const sc = r.shotcaller as
    | {
        shot?: { id?: string; show?: string; shot?: string };
        compliance?: { consentIds?: string[]; approvalIds?: string[]; ruleCatalogueVersion?: string };
        routing?: { policyId?: string; decidedBy?: string };
        vendorId?: string;
      }
    | undefined;
  if (sc?.shot) out.push(`  shot        ${sc.shot.show} ${sc.shot.shot} (${sc.shot.id})`);
  if (sc?.routing)
    out.push(`  routing     policy ${sc.routing.policyId}, decided by ${sc.routing.decidedBy}`);
  if (sc?.compliance)
    out.push(
      `  compliance  consents ${sc.compliance.consentIds?.join(', ') || 'none'}; approvals ${sc.compliance.approvalIds?.join(', ') || 'none'}; rules ${sc.compliance.ruleCatalogueVersion}`,
    );
  if (sc?.vendorId) out.push(`  delivered   by vendor ${sc.vendorId}`);
  for (const p of r.problems) out.push(`  problem     ${p.code}: ${p.explanation}`);
  return out;
}

/** `shotcaller verify FILE…`: each file's Content Credentials, checked on this machine (no API needed). */
export function registerVerifyCommand(program: Command, ctx: CommandContext): void {
  program
    .command('verify')
    .description(
      "check files' Content Credentials (C2PA): valid or not and why, who signed, what made them with what, the consents relied on",
    )
    .argument('<files...>', 'PNG, JPEG, EXR… (a .c2pa sidecar beside a file is found)')
    .option('--config <file>', 'configuration file (YAML): trust anchors and this deployment’s signer')
    .option(
      '--trust-anchors <pem>',
      'root certificates to trust (PEM), on top of provenance.trustAnchorsFile',
    )
    .action(async (files: string[], opts: { config?: string; trustAnchors?: string }) => {
      const config = loadConfig(opts.config ? { file: opts.config } : {});
      const options = await verifyOptionsFor(
        config.provenance,
        resolve(config.dataDir, 'content-credentials'),
      );
      if (opts.trustAnchors)
        options.trustAnchors = [...(options.trustAnchors ?? []), ...loadTrustAnchors(opts.trustAnchors)];
      const reports: CredentialsReport[] = [];
      for (const file of files) reports.push(await verifyFile(file, options));
      if (ctx.asJson()) ctx.io.out(JSON.stringify(reports, null, 2));
      else for (const r of reports) ctx.io.out(details(r).join('\n'));
      if (reports.some((r) => r.verdict !== 'valid')) ctx.setExit(exitCodes.failed);
    });
}
