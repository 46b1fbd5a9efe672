import { parseOrThrow } from '@shotcaller/contracts';
import type { RedisClient } from '@shotcaller/events';
import { LocalTracker } from './local-tracker';
import { ShotgridConfig, ShotgridTracker } from './shotgrid-tracker';
import type { VendorTrackers } from './tracker';
import { WebhookTracker, WebhookTrackerConfig } from './webhook-tracker';

/** The trackers a deployment can open tickets in: always `local`, and the others it has settings for. */
export function createTrackers(
  redis: RedisClient,
  deployment: string,
  settings: { shotgrid?: unknown; webhook?: unknown },
): VendorTrackers {
  return {
    local: new LocalTracker(redis, deployment),
    ...(settings.shotgrid
      ? {
          shotgrid: new ShotgridTracker(
            parseOrThrow(ShotgridConfig, settings.shotgrid, 'vendor.shotgrid settings'),
          ),
        }
      : {}),
    ...(settings.webhook
      ? {
          webhook: new WebhookTracker(
            parseOrThrow(WebhookTrackerConfig, settings.webhook, 'vendor.webhook settings'),
          ),
        }
      : {}),
  };
}
