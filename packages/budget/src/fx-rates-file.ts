import { type FieldIssue, FxRate, ValidationFailed } from '@shotcaller/contracts';

const months = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** "2026-11-28" as is; the ECB daily file's "28 November 2026" as "2026-11-28"; else undefined. */
function isoDay(text: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const m = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(text);
  const month = m ? months.indexOf(m[2]!.toLowerCase()) : -1;
  return m && month >= 0
    ? `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`
    : undefined;
}

const cellsOf = (line: string) => line.split(',').map((c) => c.trim());

/**
 * Exchange rates from a file, in either of two formats, told apart by the header:
 * - `date,from,to,rate`: one rate a line (`2026-11-02,USD,ARS,1187.25`);
 * - the ECB's reference-rate CSV (`eurofxref.csv`, `eurofxref-hist.csv`): `Date,USD,JPY,…` then a line a
 *   day, each cell the units of that currency one euro buys; `N/A` and empty cells are skipped.
 * Every bad line is reported at once, and nothing is taken from a file with one.
 */
export function parseFxRatesFile(text: string, source: string): FxRate[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = cellsOf(lines[0] ?? '');
  const issues: FieldIssue[] = [];
  const out: FxRate[] = [];
  const take = (lineNo: number, candidate: Record<string, string>) => {
    const parsed = FxRate.safeParse(candidate);
    if (parsed.success) out.push(parsed.data);
    else
      issues.push({
        path: `line ${lineNo}`,
        message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join(', '),
      });
  };
  if (header.join(',').toLowerCase() === 'date,from,to,rate') {
    lines.slice(1).forEach((line, i) => {
      const [date = '', from = '', to = '', rate = ''] = cellsOf(line);
      take(i + 2, { date, from, to, rate });
    });
  } else if (header[0]?.toLowerCase() === 'date') {
    const currencies = header.slice(1);
    lines.slice(1).forEach((line, i) => {
      const [day = '', ...cells] = cellsOf(line);
      const date = isoDay(day);
      if (!date) {
        issues.push({ path: `line ${i + 2}`, message: `"${day}" is not a date` });
        return;
      }
      cells.forEach((rate, c) => {
        const to = currencies[c];
        if (to && rate !== '' && rate !== 'N/A') take(i + 2, { date, from: 'EUR', to, rate });
      });
    });
  } else {
    issues.push({
      path: 'line 1',
      message: 'expected a header "date,from,to,rate" or the ECB reference-rate header "Date,USD,JPY,…"',
    });
  }
  if (issues.length > 0) throw new ValidationFailed(`exchange rates ${source}`, issues);
  if (out.length === 0)
    throw new ValidationFailed(`exchange rates ${source}`, [{ path: '', message: 'no rates' }]);
  return out;
}
