import { spawn } from 'node:child_process';
import { exitCodes } from '@shotcaller/cli';
import { describe, expect, it } from 'vitest';
import { shotcallerArgs } from '../support/program';

/** `shotcaller …args` run to its end as a user runs it, in a process of its own; its exit code and output. */
function runProgram(args: readonly string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, shotcallerArgs(args), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, err }));
  });
}

describe('the demo production (the README main job)', () => {
  it('starts its own engines, routes the collapse sequence and ends with the summary', async () => {
    const { code, out: text, err } = await runProgram(['demo']);
    expect(err).toBe('');
    expect(code).toBe(exitCodes.ok);
    expect(text).toContain('GenAI providers (genai.providers): local (local).');
    expect(text).toContain('Submitted 20 shots of NTH / EP01 / COL.');
    expect(text).toMatch(/COL_0060 .* genai .* likeness-needs-consent/);
    expect(text).toContain('COMPLIANCE HOLDS (3)');
    expect(text).toContain(
      'BLOCK sag-aftra-2023.digital-replica-consent — no consent on file from Marcus Hale',
    );
    expect(text).toContain('COL_0060: allowed on consent consent-ava-deage-2026');
    expect(text).toContain('AI WORK DELIVERED (14), every frame signed with Content Credentials (C2PA 2.1)');
    // Every AI frame carries credentials; the ones read back verify, AI-made, with the consent relied on.
    const credentials = text.match(
      /Content Credentials: (\d+) of (\d+) AI frames carry a signed C2PA manifest; (\d+) of the (\d+) read back/,
    );
    expect(credentials).not.toBeNull();
    expect(credentials![1]).toBe(credentials![2]);
    expect(credentials![3]).toBe(credentials![4]);
    expect(Number(credentials![4])).toBeGreaterThanOrEqual(14);
    expect(text).toMatch(/COL_0060 .*3 of 3 read back valid, AI-made, consent consent-ava-deage-2026/);
    expect(text).toContain('Signed by Shotcaller development signer - NOT FOR PRODUCTION');
    expect(text).toMatch(/NTH-EP01-VFX +│ 20 +│ USD 180,000.00/);
    // The budget in dollars, the Buenos Aires producer's bid in pesos, converted at the demo day's rate.
    expect(text).toContain('COST REPORT (the live ledger, in the reporting currency USD');
    expect(text).toMatch(/bid +│ ARS 205,000,000.00 +│ USD 171,368.86 +│/);
    expect(text).toMatch(/locked +│ USD 180,000.00 +│ USD 180,000.00 +│ .* +│ current/);
    // Routing estimates cross 80% of the line; the vendors' lower bids and invoices bring it back under.
    expect(text).toContain('BUDGET ALERTS (2)');
    expect(text).toMatch(/NTH-EP01-VFX crossed 80%/);
    expect(text).toMatch(/NTH-EP01-VFX fell under 80%/);
    expect(text).toContain(
      'The vendors bid on, delivered and invoiced 3 ticket(s) through the vendor API, each in its own currency (ironbark-vfx USD, northlight USD, estudio-austral ARS).',
    );
    // The hero simulation goes to a studio abroad in dollars; the Buenos Aires house wins the others in
    // pesos, compared and checked against the dollar line at the day's rate, and the ledger shows both.
    expect(text).toContain(
      'VENDOR TICKETS (Temporal workflows; each amount as billed, and in the reporting currency USD',
    );
    expect(text).toMatch(
      /COL_0030 +│ 3 +│ ironbark-vfx +│ USD 107,816.12 +│ USD 107,816.12 +│ 2 +│ USD 107,816.12 +│ USD 107,816.12 +│ closed/,
    );
    expect(text).toMatch(
      /COL_0050 +│ 3 +│ estudio-austral +│ ARS 18,816,295.00 +│ USD 15,729.40 +│ 1 +│ ARS 18,816,295.00 +│ USD 15,729.40 +│ closed/,
    );
    expect(text).toMatch(/COL_0190 +│ 3 +│ estudio-austral +│ ARS 10,051,132.00 +│ USD 8,402.20 +│/);
    expect(text).toMatch(
      /vendor +│ 3 +│ +│ USD 142,758.00 +│ USD 131,947.72 +│ USD 131,947.72 +│ USD 131,947.72 +│ +│ ARS USD +│/,
    );
    expect(text).toMatch(
      /genai +│ 14 +│ +│ USD 6,839.42 +│ USD 0.00 +│ USD 6,720.00 +│ USD 6,839.42 +│ +│ USD +│/,
    );
    expect(text).toContain("COMPLIANCE ALERTS IN THE OFFICERS' INBOX (4)");
    expect(text).toMatch(/the same shots, all to vendors +│ 17/);
  }, 120_000);
});
