import {
  CurrencyCode,
  minorUnitDigits,
  parseOrThrow,
  ShowCode,
  ValidationFailed,
} from '@shotcaller/contracts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const MajorAmount = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : v),
  z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative amount such as "1250000.00"'),
);

/** A budget line as an accountant writes it: an amount in major units, and thresholds in percent. */
export const BudgetLineInput = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be letters, digits, "_", "." or "-"'),
  show: ShowCode,
  episode: z.string().optional(),
  sequence: z.string().optional(),
  currency: CurrencyCode,
  amount: MajorAmount,
  thresholdsPercent: z.array(z.number().positive().max(1000)).default([80, 95, 100]),
});

export const BudgetLinesFile = z.strictObject({ lines: z.array(BudgetLineInput).min(1) });

/** A budget line as the ledger keeps it: the amount in minor units. */
export const BudgetLine = z.object({
  id: z.string(),
  show: z.string(),
  episode: z.string().optional(),
  sequence: z.string().optional(),
  amount: z.object({ amountMinor: z.int().nonnegative(), currency: z.string() }),
  thresholdsPercent: z.array(z.number()),
});
export type BudgetLine = z.infer<typeof BudgetLine>;

/** Converts "1250000.00" USD to 125000000 minor units, refusing more decimals than the currency has. */
export function toMinor(amount: string, currency: string, path: string): number {
  const digits = minorUnitDigits(currency);
  const [whole, fraction = ''] = amount.split('.');
  if (fraction.replace(/0+$/, '').length > digits) {
    throw new ValidationFailed('budget amount', [
      { path, message: `${amount} ${currency} has more decimals than ${currency}'s ${digits}` },
    ]);
  }
  return Number(
    BigInt(whole!) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0').slice(0, digits) || '0'),
  );
}

/** Budget lines from an accountant's YAML; a show's lines share one currency, its reporting currency. */
export function parseBudgetLines(text: string, source: string): BudgetLine[] {
  const file = parseOrThrow(BudgetLinesFile, parseYaml(text), `budget lines ${source}`);
  const reporting = new Map<string, string>();
  const issues = file.lines.flatMap((l, i) => {
    const first = reporting.get(l.show) ?? reporting.set(l.show, l.currency).get(l.show)!;
    return first === l.currency
      ? []
      : [
          {
            path: `lines[${i}].currency`,
            message: `${l.id} is in ${l.currency} but show ${l.show}'s lines are in ${first}, its reporting currency (costs in other currencies are converted)`,
          },
        ];
  });
  if (issues.length > 0) throw new ValidationFailed(`budget lines ${source}`, issues);
  return file.lines.map((l, i) => ({
    id: l.id,
    show: l.show,
    ...(l.episode ? { episode: l.episode } : {}),
    ...(l.sequence ? { sequence: l.sequence } : {}),
    amount: { amountMinor: toMinor(l.amount, l.currency, `lines[${i}].amount`), currency: l.currency },
    thresholdsPercent: [...l.thresholdsPercent].sort((a, b) => a - b),
  }));
}
