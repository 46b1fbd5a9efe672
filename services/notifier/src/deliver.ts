import { errorMessage, ShotcallerError, type ShotcallerEvent } from '@shotcaller/contracts';
import type { Transporter } from 'nodemailer';
import { Webhook } from 'standardwebhooks';
import { emailMessage, webhookPayload } from './messages';
import type { Target } from './targets';

/** The receiver answered with a non-2xx status or could not be reached; BullMQ retries with backoff. */
export class DeliveryFailed extends ShotcallerError {
  readonly code = 'delivery_failed';
  constructor(
    readonly targetId: string,
    reason: string,
  ) {
    super(`Delivery to ${targetId} failed: ${reason}`);
  }
}

/**
 * Delivers one event to one target. The webhook id is the same on every attempt (the receiver dedupes on
 * it); the timestamp and signature are fresh each time, as Standard Webhooks requires.
 */
export async function deliver(
  target: Target,
  event: ShotcallerEvent,
  deps: { mailer?: Transporter; from?: string; now: () => Date; timeoutMs?: number },
): Promise<void> {
  if (target.kind === 'webhook') {
    const payload = webhookPayload(event);
    const id = `${event.id}.${target.id}`;
    const now = deps.now();
    const signature = new Webhook(target.secret).sign(id, now, payload);
    let response: Response;
    try {
      response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signature,
          'user-agent': 'Shotcaller-Notifier',
        },
        body: payload,
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new DeliveryFailed(target.id, errorMessage(error));
    }
    await response.body?.cancel();
    if (!response.ok) throw new DeliveryFailed(target.id, `HTTP ${response.status}`);
    return;
  }
  if (!deps.mailer) throw new DeliveryFailed(target.id, 'no SMTP server is configured (notify.smtp)');
  const { subject, text } = emailMessage(event);
  try {
    await deps.mailer.sendMail({
      from: deps.from,
      to: target.to,
      subject,
      text,
      headers: { 'X-Shotcaller-Event-Id': event.id },
      messageId: `<${event.id}.${target.id}@shotcaller>`,
    });
  } catch (error) {
    throw new DeliveryFailed(target.id, errorMessage(error));
  }
}
