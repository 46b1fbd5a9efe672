import { readFileSync } from 'node:fs';
import { parsePolicy, parseRateCards } from '@shotcaller/routing';

const example = (name: string) => readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8');

export const examplePolicy = () => parsePolicy(example('policy.yaml'), 'examples/policy.yaml');
export const exampleRates = () => parseRateCards(example('rate-cards.yaml'), 'examples/rate-cards.yaml');
export const now = new Date('2026-11-25T10:00:00Z');
