import { ValidationFailed } from '@shotcaller/contracts';
import {
  checkPolicyAgainstRates,
  PolicyProviderUnknown,
  parsePolicy,
  parseRateCards,
  YamlSyntaxError,
} from '@shotcaller/routing';
import { describe, expect, it } from 'vitest';
import { exampleRates } from './fixtures';

const rule = (when: string, extra = '') =>
  `version: 1\nid: p\nrules:\n  - id: r\n    description: d\n    when: ${when}\n    route: genai\n${extra}default: { route: vendor }\n`;

describe('invalid policy files', () => {
  it.each<[string, string, RegExp]>([
    ['a wrong version', 'version: 2\nid: p\nrules: []\ndefault: { route: vendor }\n', /version/],
    ['no default', 'version: 1\nid: p\nrules: []\n', /default: is required/],
    ['an unknown route', 'version: 1\nid: p\nrules: []\ndefault: { route: robots }\n', /default\.route/],
    ['an unknown category', rule('{ category: { in: [explosions] } }'), /rules\[0\]\.when/],
    ['an unknown condition', rule('{ colour: blue }'), /rules\[0\]\.when/],
    ['a frames condition with neither bound', rule('{ frames: {} }'), /rules\[0\]\.when/],
    [
      'a rule without a description',
      'version: 1\nid: p\nrules:\n  - id: r\n    when: { performers: none }\n    route: genai\ndefault: { route: vendor }\n',
      /rules\[0\]\.description: is required/,
    ],
    [
      'a rule id with spaces',
      'version: 1\nid: p\nrules:\n  - id: My Rule\n    description: d\n    when: { performers: none }\n    route: genai\ndefault: { route: vendor }\n',
      /rules\[0\]\.id: must be lower-case/,
    ],
    [
      'a repeated rule id',
      'version: 1\nid: p\nrules:\n  - { id: r, description: d, when: { performers: none }, route: genai }\n  - { id: r, description: d, when: { performers: any }, route: vendor }\ndefault: { route: vendor }\n',
      /rules\[1\]\.id: repeats rule id "r"/,
    ],
    [
      'an unknown top-level key',
      'version: 1\nid: p\nrules: []\ndefault: { route: vendor }\nfallback: genai\n',
      /fallback: unknown field/,
    ],
  ])('rejects %s, naming the field', (_what, text, message) => {
    expect(() => parsePolicy(text, 'p.yaml')).toThrow(ValidationFailed);
    expect(() => parsePolicy(text, 'p.yaml')).toThrow(message);
  });

  it('names the file and line of a YAML syntax error', () => {
    expect(() => parsePolicy('version: 1\nrules: [\n', 'bad.yaml')).toThrow(YamlSyntaxError);
    expect(() => parsePolicy('version: 1\nrules: [\n', 'bad.yaml')).toThrow(/^bad\.yaml:\d+: /);
  });

  it('names the rule that sends work to a provider the rate cards do not price', () => {
    const p = parsePolicy(
      rule('{ performers: none }').replace('route: genai', 'route: genai\n    provider: runway'),
      'p.yaml',
    );
    expect(() => checkPolicyAgainstRates(p, exampleRates())).toThrow(PolicyProviderUnknown);
    expect(() => checkPolicyAgainstRates(p, exampleRates())).toThrow(
      /Rule r sends work to genai provider "runway"/,
    );
  });
});

describe('invalid rate cards', () => {
  const base = (patch: string) =>
    `currency: USD\ngenai:\n  defaultProvider: gpu\n  providers:\n    gpu:\n      pricing: { kind: per-frame, pricePerFrame: "0.01" }\n      turnaround: { setupHours: 0, secondsPerFrame: 1 }\nvendor:\n  ratePerFrame: { default: "100" }\n  complexity: { simple: "1", standard: "1", complex: "1", hero: "1" }\n  turnaroundDays: { default: 5 }\n${patch}`;

  it.each<[string, string, RegExp]>([
    [
      'a float-looking negative rate',
      base('').replace('"100"', '"-100"'),
      /vendor\.ratePerFrame\.default: must be a non-negative decimal/,
    ],
    ['an unknown currency', base('').replace('USD', 'XYZ'), /currency: XYZ is not an ISO 4217/],
    [
      'a default provider that is not defined',
      base('').replace('defaultProvider: gpu', 'defaultProvider: cloud'),
      /genai\.defaultProvider: names provider "cloud"/,
    ],
    [
      'an unknown category key',
      base('').replace('{ default: "100" }', '{ default: "100", explosions: "5" }'),
      /vendor\.ratePerFrame\.explosions: is not a shot category/,
    ],
    [
      'an unknown pricing kind',
      base('').replace('kind: per-frame', 'kind: per-hour'),
      /genai\.providers\.gpu\.pricing/,
    ],
    ['a missing complexity', base('').replace(', hero: "1"', ''), /vendor\.complexity\.hero: is required/],
  ])('rejects %s, naming the field', (_what, text, message) => {
    expect(() => parseRateCards(text, 'cards.yaml')).toThrow(message);
  });
});
