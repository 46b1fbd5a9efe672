import { ApprovalRecord, ConsentRecord, Route, ShotRequest } from '@shotcaller/contracts';
import { z } from 'zod';

/** What the provider behind a genai route does with data and where its model came from. */
export const ProviderProfile = z.strictObject({
  name: z.string(),
  trainsOnInputs: z.boolean().default(false),
  trainingDataLicence: z.enum(['licensed', 'owned', 'public-domain', 'unknown']).default('unknown'),
  enterpriseSecured: z.boolean().default(false),
});
export type ProviderProfile = z.infer<typeof ProviderProfile>;

/** Everything a rule may look at: the shot, where it would go, and what is on file. */
export const PrecheckInput = z.strictObject({
  shot: ShotRequest,
  shotId: z.string().optional(),
  route: Route,
  provider: ProviderProfile.optional(),
  /** Consents in force (not revoked); rules still check show, use, territory and dates. */
  consents: z.array(ConsentRecord),
  approvals: z.array(ApprovalRecord),
  history: z
    .strictObject({ previouslyBidOrAwardedToUnionVendor: z.boolean() })
    .default({ previouslyBidOrAwardedToUnionVendor: false }),
  now: z.date(),
});
export type PrecheckInput = z.infer<typeof PrecheckInput>;
