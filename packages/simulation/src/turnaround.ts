import { nearestRank } from '@shotcaller/budget';
import type { SimulatedTurnaround as Turnaround } from '@shotcaller/contracts';
import type { z } from 'zod';
import type { ShotHistory } from './shot-history';

const round = (h: number | null) => (h === null ? null : Math.round(h * 100) / 100);

/** Measured hours from submission to first delivery, by route and category, and by route alone. */
export function turnaroundHistory(histories: readonly ShotHistory[]) {
  const samples = new Map<string, number[]>();
  const push = (key: string, hours: number) => samples.set(key, [...(samples.get(key) ?? []), hours]);
  for (const h of histories) {
    if (!h.deliveredAt || !h.decision) continue;
    const hours = (Date.parse(h.deliveredAt) - Date.parse(h.submittedAt)) / 3_600_000;
    push(`${h.decision.route}|${h.request.category}`, hours);
    push(`${h.decision.route}|*`, hours);
  }
  for (const list of samples.values()) list.sort((a, b) => a - b);
  const stats = (key: string) => {
    const list = samples.get(key);
    return list?.length
      ? { median: round(nearestRank(list, 50))!, p90: round(nearestRank(list, 90))!, n: list.length }
      : undefined;
  };
  return {
    /** Turnaround of a route for a category: from its own history when there is one, else the route's, else the rate card. */
    of(route: string, category: string, rateCardHours: number | undefined): z.infer<typeof Turnaround> {
      const own = stats(`${route}|${category}`);
      if (own) return { medianHours: own.median, p90Hours: own.p90, basis: 'history-category' };
      const any = stats(`${route}|*`);
      if (any) return { medianHours: any.median, p90Hours: any.p90, basis: 'history-route' };
      if (rateCardHours !== undefined)
        return { medianHours: rateCardHours, p90Hours: rateCardHours, basis: 'rate-card' };
      return { medianHours: null, p90Hours: null, basis: 'none' };
    },
    table() {
      return [...samples.entries()]
        .filter(([k]) => !k.endsWith('|*'))
        .map(([k, list]) => {
          const [route, category] = k.split('|') as [string, string];
          return {
            route,
            category,
            samples: list.length,
            medianHours: round(nearestRank(list, 50))!,
            p90Hours: round(nearestRank(list, 90))!,
          };
        })
        .sort((a, b) => a.route.localeCompare(b.route) || a.category.localeCompare(b.category));
    },
  };
}
