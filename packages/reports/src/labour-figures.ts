import type { LabourFigures, LabourShot } from '@shotcaller/contracts';

// Artist-days are recorded to hundredths: summing them as whole hundredths keeps float noise out.
const hundredths = (d: number | null) => (d === null ? 0 : Math.round(d * 100));

/** Nearest-rank median: a value some shot actually has, not an average no estimate gave. */
const median = (sorted: readonly number[]) =>
  sorted.length === 0 ? null : sorted[Math.ceil(sorted.length / 2) - 1]!;

/** The sums for one group of shots: each shot counts once, on the side its work ended on. */
export function sumFigures(key: string, shots: readonly LabourShot[]): LabourFigures {
  const f = {
    aiShots: 0,
    aiFrames: 0,
    vendorWouldBeCost: 0,
    vendorDays: 0,
    genaiEstimateCost: 0,
    genaiArtistCost: 0,
    genaiDays: 0,
    actualHours: 0,
    aiShotsWithActual: 0,
    aiShotsWithoutLabourBasis: 0,
    aiShotsPreviouslyAtVendor: 0,
    vendorShots: 0,
    vendorEstimateCost: 0,
    contractedDays: 0,
    returnedShots: 0,
    heldShots: 0,
  };
  const turnaroundDays: number[] = [];
  for (const s of shots) {
    if (s.side === 'held') f.heldShots++;
    else if (s.side === 'vendor') {
      f.vendorShots++;
      if (s.returned) f.returnedShots++;
      if (s.vendor) {
        f.vendorEstimateCost += s.vendor.cost;
        f.contractedDays += hundredths(s.vendor.artistDays);
      }
    } else if (s.genai && s.vendor) {
      f.aiShots++;
      f.aiFrames += s.frames;
      f.vendorWouldBeCost += s.vendor.cost;
      f.vendorDays += hundredths(s.vendor.artistDays);
      f.genaiEstimateCost += s.genai.cost;
      f.genaiArtistCost += s.genai.artistCost ?? 0;
      f.genaiDays += hundredths(s.genai.artistDays);
      if (s.vendor.artistDays === null || s.genai.artistDays === null) f.aiShotsWithoutLabourBasis++;
      if (s.actualArtistHours !== null) {
        f.aiShotsWithActual++;
        f.actualHours += Math.round(s.actualArtistHours * 100);
      }
      if (s.previouslyAtVendor) f.aiShotsPreviouslyAtVendor++;
      turnaroundDays.push(s.vendor.turnaroundHours / 24);
    }
  }
  turnaroundDays.sort((a, b) => a - b);
  return {
    key,
    aiShots: f.aiShots,
    aiFrames: f.aiFrames,
    vendorWouldBeCost: f.vendorWouldBeCost,
    vendorArtistDaysNotContracted: f.vendorDays / 100,
    vendorTurnaroundDaysMedian: median(turnaroundDays),
    vendorTurnaroundDaysMax: turnaroundDays.at(-1) ?? null,
    genaiEstimateCost: f.genaiEstimateCost,
    genaiArtistCost: f.genaiArtistCost,
    genaiArtistDays: f.genaiDays / 100,
    actualArtistHours: f.actualHours / 100,
    aiShotsWithActual: f.aiShotsWithActual,
    aiShotsWithoutLabourBasis: f.aiShotsWithoutLabourBasis,
    aiShotsPreviouslyAtVendor: f.aiShotsPreviouslyAtVendor,
    vendorShots: f.vendorShots,
    vendorEstimateCost: f.vendorEstimateCost,
    vendorArtistDays: f.contractedDays / 100,
    returnedShots: f.returnedShots,
    heldShots: f.heldShots,
  };
}

/** Sums per value of `keyOf`, in the given order of keys (or sorted). */
export function groupFigures(
  shots: readonly LabourShot[],
  keyOf: (s: LabourShot) => string,
  order?: readonly string[],
): LabourFigures[] {
  const groups = new Map<string, LabourShot[]>();
  for (const s of shots) groups.set(keyOf(s), [...(groups.get(keyOf(s)) ?? []), s]);
  const keys = [...groups.keys()].sort((a, b) =>
    order ? order.indexOf(a) - order.indexOf(b) : a.localeCompare(b),
  );
  return keys.map((k) => sumFigures(k, groups.get(k)!));
}
