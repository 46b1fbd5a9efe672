import type { LabourImpactReport, LabourShot } from '@shotcaller/contracts';
import { tenths } from './labour-table';
import { formatWhole, wholeUnits } from './precision';

const cell = (v: string | number | null | undefined) => {
  const s = v === null || v === undefined ? '' : String(v);
  // `#` is quoted too: the header block's lines start with it, and a reader may skip them as comments.
  return /[",\r\n#]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The column headings, with units; `CUR` is replaced by the report's currency. */
export const labourColumns = [
  'Show',
  'Episode',
  'Sequence',
  'Shot',
  'Shot id',
  'Category',
  'Complexity',
  'Frames',
  'Work went to (ai / vendor / held)',
  'Decided at (UTC)',
  'Week (ISO)',
  'Returned from AI to vendor (yes / no)',
  'Why returned',
  'At a vendor before AI (yes / no)',
  'Vendor route estimate at routing (CUR, estimate)',
  'Vendor artist-days (estimate)',
  'Vendor turnaround (days, estimate)',
  'GenAI route estimate at routing (CUR, estimate)',
  'GenAI artist time (CUR, estimate)',
  'GenAI artist-days (estimate)',
  'Artist hours recorded on AI work (actual)',
  'Vendor estimate basis',
  'GenAI estimate basis',
  'Artist-days basis',
] as const;

function row(s: LabourShot, currency: string): Array<string | number | null> {
  const money = (minor: number | null | undefined) =>
    minor === null || minor === undefined ? null : wholeUnits(minor, currency);
  const days = (d: number | null | undefined) => (d === null || d === undefined ? null : tenths(d));
  return [
    s.show,
    s.episode ?? '',
    s.sequence,
    s.shot,
    s.shotId,
    s.category,
    s.complexity,
    s.frames,
    s.side,
    s.decidedAt,
    s.week,
    s.returned ? 'yes' : 'no',
    s.returned ? `${s.returned.cause}: ${s.returned.reason}` : '',
    s.previouslyAtVendor ? 'yes' : 'no',
    money(s.vendor?.cost),
    days(s.vendor?.artistDays),
    s.vendor ? tenths(s.vendor.turnaroundHours / 24) : null,
    money(s.genai?.cost),
    money(s.genai?.artistCost),
    days(s.genai?.artistDays),
    s.actualArtistHours === null ? null : tenths(s.actualArtistHours),
    s.vendor?.basis ?? '',
    s.genai?.basis ?? '',
    [s.vendor?.labourBasis, s.genai?.labourBasis].filter(Boolean).join(' | '),
  ];
}

/**
 * The report as a CSV a producer can hand over as it is: a block of `#` lines saying what it covers,
 * its totals and the basis of each figure, then one row per shot (RFC 4180) with units in the headings.
 */
export function labourImpactCsv(report: LabourImpactReport): string {
  const c = report.currency || 'USD';
  const t = report.totals;
  const { scope } = report;
  const head = [
    `# Labour impact of routing work to generative AI — show ${scope.show}, episode ${scope.episode ?? 'all'}, sequence ${scope.sequence ?? 'all'}, from ${scope.from ?? 'the start'} to ${scope.to ?? 'now'}${report.upTo ? ` (log read up to event ${report.upTo})` : ''}`,
    `# Shots whose work went to AI: ${t.aiShots} (${t.aiFrames} frames); ${t.aiShotsPreviouslyAtVendor} of them were at a vendor before`,
    `# Vendor route estimate for those shots: ${formatWhole(t.vendorWouldBeCost, c)} (estimate) = ${tenths(t.vendorArtistDaysNotContracted)} vendor artist-days not contracted (estimate)`,
    `# Artist time still spent on those shots: ${formatWhole(t.genaiArtistCost, c)} = ${tenths(t.genaiArtistDays)} artist-days (estimate); ${tenths(t.actualArtistHours)} hours recorded on ${t.aiShotsWithActual} shot(s) (actual)`,
    `# Shots whose work went to vendors: ${t.vendorShots}, of them ${t.returnedShots} returned from AI (counted once here); vendor estimate ${formatWhole(t.vendorEstimateCost, c)} = ${tenths(t.vendorArtistDays)} artist-days (estimate)`,
    `# Held by compliance: ${t.heldShots}; left out: ${report.leftOut.cancelled} cancelled, ${report.leftOut.notYetRouted} not routed yet`,
    ...(t.aiShotsWithoutLabourBasis > 0
      ? [
          `# ${t.aiShotsWithoutLabourBasis} AI shot(s) were routed without artist-days recorded: their artist-days are missing from the totals above, not zero`,
        ]
      : []),
    ...report.bases.map((b) => `# ${b.figure}: ${b.basis}`),
  ];
  const columns = labourColumns.map((h) => h.replace('CUR', c));
  const lines = [columns, ...report.shots.map((s) => row(s, c))].map((r) => r.map(cell).join(','));
  return `${[...head, ...lines].join('\r\n')}\r\n`;
}
