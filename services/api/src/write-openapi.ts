import { writeFileSync } from 'node:fs';
import { renderOpenApi } from './describe-api';

const target = new URL('../../../docs/openapi.json', import.meta.url);
writeFileSync(target, renderOpenApi());
process.stdout.write(`wrote ${target.pathname}\n`);
