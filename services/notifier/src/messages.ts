import type { ShotcallerEvent } from '@shotcaller/contracts';

/** The JSON a webhook receiver gets: Standard Webhooks' `type`/`timestamp`/`data`, with the CloudEvent as data. */
export function webhookPayload(event: ShotcallerEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.time, data: event });
}

/** Subject and text of an alert e-mail, written for the person who has to act on it. */
export function emailMessage(event: ShotcallerEvent): { subject: string; text: string } {
  switch (event.type) {
    case 'io.shotcaller.compliance.alert.raised.v1': {
      const a = event.data;
      return {
        subject: `[Shotcaller ${a.severity}] ${a.title}${a.shotId ? ` — shot ${a.shotId}` : ''}`,
        text: [
          a.message,
          '',
          `Rule: ${a.ruleId}`,
          `Source: ${a.source}`,
          ...(a.missing.length
            ? ['Missing:', ...a.missing.map((m) => `  - ${m.kind}: ${m.description}`)]
            : []),
          '',
          `Alert ${a.alertId}, show ${event.show ?? '-'}, raised ${event.time}.`,
        ].join('\n'),
      };
    }
    case 'io.shotcaller.budget.threshold.crossed.v1': {
      const b = event.data;
      return {
        subject: `[Shotcaller budget] ${b.lineId} ${b.direction === 'up' ? 'crossed' : 'fell back under'} ${b.thresholdPercent}%`,
        text: `Budget line ${b.lineId} (show ${b.show}): ${b.measure} is ${b.value.amountMinor} ${b.value.currency} minor units against a budget of ${b.budget.amountMinor}.`,
      };
    }
    case 'io.shotcaller.budget.fx-rate.missing.v1': {
      const m = event.data;
      return {
        subject: `[Shotcaller budget] no ${m.from}→${m.to} rate for ${m.date} (${m.lineId})`,
        text: `A cost of shot ${m.shotId} on budget line ${m.lineId} (show ${m.show}) is in ${m.from} and there is no ${m.from}→${m.to} rate for ${m.date} or the week before. It is shown unconverted, not counted, until the rate is recorded (PUT /v1/fx-rates or budget.ratesFile).`,
      };
    }
    default:
      return { subject: `[Shotcaller] ${event.type}`, text: JSON.stringify(event.data, null, 2) };
  }
}
