import { writeFileSync } from 'node:fs';
import { renderEventDocs } from './render-event-docs';

const target = new URL('../../../docs/events.md', import.meta.url);
writeFileSync(target, renderEventDocs());
process.stdout.write(`wrote ${target.pathname}\n`);
