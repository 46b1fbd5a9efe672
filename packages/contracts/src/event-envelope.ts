import { z } from 'zod';
import { ShowCode } from './shot-request';

/**
 * A CloudEvents 1.0 envelope in its JSON format. Extension attribute names are lower-case letters and
 * digits only, as the spec requires: `correlationid` ties every event of one shot's story together,
 * `causationid` names the event that made this one happen, `show` lets consumers filter cheaply.
 */
export const EventEnvelope = z.strictObject({
  specversion: z.literal('1.0'),
  id: z.string().min(1).max(200),
  source: z.string().min(1).max(500),
  type: z.string().regex(/^io\.shotcaller\.[a-z0-9.-]+\.v[0-9]+$/, 'must be io.shotcaller.<name>.v<version>'),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().min(1).max(500).optional(),
  datacontenttype: z.literal('application/json'),
  correlationid: z.string().min(1).max(200),
  causationid: z.string().min(1).max(200).optional(),
  show: ShowCode.optional(),
  traceparent: z.string().optional(),
  data: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;
