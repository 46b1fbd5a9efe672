import { labourImpact, labourImpactCsv } from '@shotcaller/reports';
import { aShotRequest } from '@shotcaller/testkit';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { rates, story } from './events';

describe('the labour impact CSV', () => {
  const events = [
    ...story('s1', aShotRequest({ shot: 'COL_0010', complexity: 'complex' }))
      .routed('genai', rates({ dayRate: '720.00' }))
      .artistTime(7.25).events,
    ...story('s2', aShotRequest({ shot: 'COL_0020', brief: 'Collapse, "wide"' }))
      .routed('genai')
      .rerouted('genai', 'vendor', 'review-rejected', 'rejected: dust, "too clean"')
      .routed('vendor').events,
  ];
  const csv = labourImpactCsv(labourImpact(events, { show: 'NTH' }));

  it('opens with a block that says what it covers, its totals and every basis, then one row per shot', () => {
    const head = csv.split('\r\n').filter((l) => l.startsWith('#'));
    expect(head[0]).toContain('show NTH, episode all, sequence all');
    // complex: 48 × 100 × 1.5 + 650 = USD 7,850; 7,200 / 720 = 10 artist-days.
    expect(head).toContain(
      '# Vendor route estimate for those shots: USD 7,850 (estimate) = 10.0 vendor artist-days not contracted (estimate)',
    );
    expect(head.some((l) => l.includes('returned from AI (counted once here)'))).toBe(true);
    expect(head.some((l) => l.startsWith('# precision:'))).toBe(true);
    const rows = parse(csv, { comment: '#', columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(2);
    const [ai, back] = rows;
    expect(ai).toMatchObject({
      Shot: 'COL_0010',
      'Work went to (ai / vendor / held)': 'ai',
      'Vendor route estimate at routing (USD, estimate)': '7850',
      'Vendor artist-days (estimate)': '10.0',
      'Vendor turnaround (days, estimate)': '18.0',
      'GenAI artist time (USD, estimate)': '480',
      // 480 / 720 = 0.67 recorded → 0.7 shown.
      'GenAI artist-days (estimate)': '0.7',
      'Artist hours recorded on AI work (actual)': '7.3',
      'Returned from AI to vendor (yes / no)': 'no',
    });
    expect(back).toMatchObject({
      'Work went to (ai / vendor / held)': 'vendor',
      'Returned from AI to vendor (yes / no)': 'yes',
      'Why returned': 'review-rejected: rejected: dust, "too clean"',
      'Vendor route estimate at routing (USD, estimate)': '5450',
    });
  });

  it('rounds money to whole currency units, half up', () => {
    // 48 × 100.005 = 4,800.24 + 650 = 5,450.24 → 5,450; a rate of 100.015 gives 5,450.72 → 5,451.
    const down = labourImpactCsv(
      labourImpact(story('s', aShotRequest()).routed('genai', rates({ vendorRate: '100.005' })).events, {
        show: 'NTH',
      }),
    );
    const up = labourImpactCsv(
      labourImpact(story('s', aShotRequest()).routed('genai', rates({ vendorRate: '100.015' })).events, {
        show: 'NTH',
      }),
    );
    const vendorOf = (text: string) =>
      (parse(text, { comment: '#', columns: true }) as Array<Record<string, string>>)[0]![
        'Vendor route estimate at routing (USD, estimate)'
      ];
    expect([vendorOf(down), vendorOf(up)]).toEqual(['5450', '5451']);
  });
});
