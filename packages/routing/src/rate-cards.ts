import { CurrencyCode, parseOrThrow, ShotCategory } from '@shotcaller/contracts';
import { z } from 'zod';
import { DecimalString } from './decimal';
import { parseYamlText } from './yaml-file';

/** A value per shot category, with a default for the categories not named. */
const PerCategory = <T extends z.ZodType>(value: T) =>
  z
    .strictObject({ default: value })
    .catchall(value)
    .superRefine((map, ctx) => {
      for (const key of Object.keys(map)) {
        if (key !== 'default' && !ShotCategory.safeParse(key).success) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `is not a shot category (${ShotCategory.options.join(', ')})`,
          });
        }
      }
    });

const GpuPricing = z.strictObject({
  kind: z.literal('gpu-seconds'),
  gpuSecondsPerFrame: PerCategory(DecimalString),
  ratePerGpuSecond: DecimalString,
});
const FramePricing = z.strictObject({ kind: z.literal('per-frame'), pricePerFrame: DecimalString });
const FootagePricing = z.strictObject({
  kind: z.literal('per-second-of-footage'),
  pricePerSecond: DecimalString,
});

export const GenaiProviderCard = z.strictObject({
  pricing: z.discriminatedUnion('kind', [GpuPricing, FramePricing, FootagePricing]),
  /** Artist time per shot to prompt, supervise and review the generation. */
  overheadPerShot: DecimalString.default('0'),
  turnaround: z.strictObject({
    setupHours: z.number().nonnegative(),
    secondsPerFrame: z.number().nonnegative(),
  }),
});

/** Rate cards: what each route costs and takes. One currency per file; estimates never mix currencies. */
export const RateCards = z
  .strictObject({
    currency: CurrencyCode,
    genai: z.strictObject({
      defaultProvider: z.string().min(1),
      providers: z.record(z.string().min(1), GenaiProviderCard),
    }),
    vendor: z.strictObject({
      ratePerFrame: PerCategory(DecimalString),
      complexity: z.strictObject({
        simple: DecimalString,
        standard: DecimalString,
        complex: DecimalString,
        hero: DecimalString,
      }),
      overheadPerShot: DecimalString.default('0'),
      turnaroundDays: PerCategory(z.number().positive()),
    }),
    /** How money in an estimate becomes people's time, for the labour impact report. */
    labour: z
      .strictObject({
        /** Blended all-in cost of one artist-day (vendor and crew alike), in major units. */
        artistDayRate: DecimalString.refine((v) => Number(v) > 0, 'must be more than zero'),
      })
      .optional(),
  })
  .superRefine((cards, ctx) => {
    if (!(cards.genai.defaultProvider in cards.genai.providers)) {
      ctx.addIssue({
        code: 'custom',
        path: ['genai', 'defaultProvider'],
        message: `names provider "${cards.genai.defaultProvider}", which is not under genai.providers`,
      });
    }
  });
export type RateCards = z.infer<typeof RateCards>;

/** Reads rate cards from YAML text; every bad field is named with its path. */
export function parseRateCards(text: string, source: string): RateCards {
  return parseOrThrow(RateCards, parseYamlText(text, source), `rate cards ${source}`);
}
