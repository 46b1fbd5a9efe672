import { writeFileSync } from 'node:fs';
import { eventCatalogue, eventTypes } from '@shotcaller/contracts';
import { z } from 'zod';

const keys = new Set<string>();
const values = new Set<string>();
const walk = (s: unknown): void => {
  if (!s || typeof s !== 'object') return;
  const o = s as Record<string, unknown>;
  if (o.properties && typeof o.properties === 'object')
    for (const [k, v] of Object.entries(o.properties as Record<string, unknown>)) {
      keys.add(k);
      walk(v);
    }
  if (Array.isArray(o.enum)) for (const e of o.enum) if (typeof e === 'string') values.add(e);
  if (typeof o.const === 'string') values.add(o.const);
  for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
};
for (const t of eventTypes) walk(z.toJSONSchema(eventCatalogue[t], { io: 'output', unrepresentable: 'any' }));
const parts = [
  // least common first: deflate finds the nearest match, and the end of the dictionary is nearest.
  [...values].map((v) => `"${v}"`).join(','),
  [...keys].map((k) => `"${k}":`).join(''),
  eventTypes.map((t) => `"type":"${t}"`).join(','),
  '"amountMinor":,"currency":"USD"},"',
  '{"specversion":"1.0","id":"","source":"/shotcaller/","type":"io.shotcaller.shot.","time":"T00:00:00.000Z","datacontenttype":"application/json","correlationid":"sh-","subject":"sh-","show":"","data":{"shotId":"sh-',
];
writeFileSync(process.argv[2]!, parts.join('\n'));
