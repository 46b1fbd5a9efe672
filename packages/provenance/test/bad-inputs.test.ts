import { describe, expect, it } from 'vitest';
import { verifyCredentials } from '../src';
import { badInputs } from './bad-inputs';

describe('verify on bad inputs: a clear answer for each, never a throw', async () => {
  const rows = await badInputs();
  it('has at least 40 of them', () => expect(rows.length).toBeGreaterThanOrEqual(40));
  it.each(rows.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const started = Date.now();
    const report = await verifyCredentials({
      name: row.file,
      bytes: row.bytes,
      ...(row.sidecar ? { sidecar: { name: 'x.c2pa', bytes: row.sidecar } } : {}),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(report.verdict, report.summary).toBe(row.verdict);
    expect([report.summary, ...report.problems.map((p) => p.explanation)].join(' | ')).toMatch(row.says);
    if (row.trust) expect(report.trust).toBe(row.trust);
    if (row.verdict !== 'valid') expect(report.problems.length).toBeGreaterThan(0);
    for (const p of report.problems) expect(p.explanation.length).toBeGreaterThan(3);
  });
});
