import { Complexity, DeliverableKind, RequestedRoute, ShotCategory, Territory } from '@shotcaller/contracts';
import { z } from 'zod';

const InOrNotIn = <T extends z.ZodType>(value: T) =>
  z.union([z.strictObject({ in: z.array(value).min(1) }), z.strictObject({ notIn: z.array(value).min(1) })]);

/** One condition of a rule's `when`; each is a mapping with exactly one key. */
export type Condition =
  | { category: { in: string[] } | { notIn: string[] } }
  | { deliverable: { in: string[] } | { notIn: string[] } }
  | { complexity: { in: string[] } | { notIn: string[] } }
  | { requestedRoute: { in: string[] } | { notIn: string[] } }
  | { performers: 'none' | 'any' | 'likeness' | 'synthetic' }
  | { frames: { min?: number; max?: number } }
  | { territories: { includesAny: string[] } }
  | { vendorCostOverBudgetRemaining: boolean }
  | { genaiCheaperBy: { ratio: number } }
  | { vendorMissesDeadline: boolean }
  | { consentOnFile: boolean }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ category: InOrNotIn(ShotCategory) }),
    z.strictObject({ deliverable: InOrNotIn(DeliverableKind) }),
    z.strictObject({ complexity: InOrNotIn(Complexity) }),
    z.strictObject({ requestedRoute: InOrNotIn(RequestedRoute) }),
    /** `likeness`: some performer's likeness is generated or altered. */
    z.strictObject({ performers: z.enum(['none', 'any', 'likeness', 'synthetic']) }),
    z.strictObject({
      frames: z
        .strictObject({ min: z.int().nonnegative().optional(), max: z.int().positive().optional() })
        .refine((f) => f.min !== undefined || f.max !== undefined, 'give min, max or both'),
    }),
    z.strictObject({ territories: z.strictObject({ includesAny: z.array(Territory).min(1) }) }),
    z.strictObject({ vendorCostOverBudgetRemaining: z.boolean() }),
    /** The vendor estimate is at least `ratio` times the genai estimate. */
    z.strictObject({ genaiCheaperBy: z.strictObject({ ratio: z.number().min(1) }) }),
    z.strictObject({ vendorMissesDeadline: z.boolean() }),
    z.strictObject({ consentOnFile: z.boolean() }),
    z.strictObject({ all: z.array(Condition).min(1) }),
    z.strictObject({ any: z.array(Condition).min(1) }),
    z.strictObject({ not: Condition }),
  ]),
);
