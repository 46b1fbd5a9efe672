/** The ISO 8601 week (Monday to Sunday, UTC) an instant falls in, e.g. `2026-W48`. */
export function isoWeek(instant: string): string {
  const d = new Date(instant);
  const fromMonday = (d.getUTCDay() + 6) % 7;
  // A week belongs to the year its Thursday falls in.
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - fromMonday + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}
