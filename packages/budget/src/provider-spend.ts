import { CurrencyMismatch, type ProviderSpend } from '@shotcaller/contracts';
import type { Fact } from './facts';

/** Genai usage facts summed by provider, delivered and lost attempts apart; sorted by provider. */
export function providerSpend(facts: readonly Fact[]): ProviderSpend[] {
  const out = new Map<string, ProviderSpend>();
  for (const f of facts) {
    if (f.kind !== 'usage') continue;
    const provider = f.provider ?? 'unknown';
    let p = out.get(provider);
    if (!p) {
      p = {
        provider,
        currency: f.amount.currency,
        attempts: 0,
        actual: 0,
        failedAttempts: 0,
        byOutcome: {
          failed: { attempts: 0, amount: 0 },
          cancelled: { attempts: 0, amount: 0 },
          'timed-out': { attempts: 0, amount: 0 },
        },
      };
      out.set(provider, p);
    }
    if (p.currency !== f.amount.currency) throw new CurrencyMismatch(p.currency, f.amount.currency);
    p.attempts += 1;
    p.actual += f.amount.amountMinor;
    if (f.outcome !== 'completed') {
      p.failedAttempts += f.amount.amountMinor;
      p.byOutcome[f.outcome].attempts += 1;
      p.byOutcome[f.outcome].amount += f.amount.amountMinor;
    }
  }
  return [...out.values()].sort((a, b) => a.provider.localeCompare(b.provider));
}
