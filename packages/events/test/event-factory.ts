import { makeEvent, type ShotcallerEvent } from '@shotcaller/contracts';
import { aShotRequest } from '@shotcaller/testkit';

/** A small valid event about shot `n`; usage events carry money so projections have something to add up. */
export function aUsageEvent(n: number, amountMinor = 100 + n): ShotcallerEvent {
  return makeEvent(
    'io.shotcaller.genai.usage.recorded.v1',
    {
      shotId: `shot-${n}`,
      taskId: `task-${n}`,
      provider: 'local',
      unit: 'cpu-second',
      quantity: n,
      cost: { amountMinor, currency: 'USD' },
    },
    { source: '/test', correlationId: `shot-${n}`, subject: `shot-${n}`, show: 'NTH' },
  );
}

export function aSubmittedEvent(n: number): ShotcallerEvent {
  return makeEvent(
    'io.shotcaller.shot.submitted.v1',
    { shotId: `shot-${n}`, request: aShotRequest(), submittedBy: 'td@studio.test' },
    { source: '/test', correlationId: `shot-${n}`, subject: `shot-${n}`, show: 'NTH' },
  );
}
