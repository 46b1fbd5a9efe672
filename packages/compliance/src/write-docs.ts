import { writeFileSync } from 'node:fs';
import { renderComplianceDocs } from './render-docs';

const target = new URL('../../../docs/compliance.md', import.meta.url);
writeFileSync(target, renderComplianceDocs());
process.stdout.write(`wrote ${target.pathname}\n`);
