import type { RedisClient } from '@shotcaller/events';
import type { Logger } from '@shotcaller/platform';
import { ShotStore } from '@shotcaller/shots';
import { createTicketActivities, ticketWorkflows, type VendorTrackers } from '@shotcaller/vendor-tickets';
import {
  bundleWorkflowCode,
  NativeConnection,
  Runtime,
  Worker,
  type WorkflowBundle,
} from '@temporalio/worker';

export interface TemporalWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  redis: RedisClient;
  deployment: string;
  trackers: VendorTrackers;
  identity: string;
  logger: Logger;
}

let runtimeInstalled = false;

/**
 * The workflow code, bundled once per process: a process serving several partitions runs a worker per
 * partition's task queue, and each bundling would cost seconds and tens of megabytes.
 */
let bundle: Promise<WorkflowBundle> | undefined;
async function workflows(): Promise<{ workflowBundle: WorkflowBundle | { codePath: string } }> {
  const found = ticketWorkflows();
  // The compiled program ships a bundle built by `pnpm build`; from the sources, bundle them once here.
  if ('workflowBundle' in found) return found;
  bundle ??= bundleWorkflowCode({
    workflowsPath: found.workflowsPath,
    logger: Runtime.instance().logger,
  }).catch((error) => {
    bundle = undefined;
    throw error;
  });
  return { workflowBundle: await bundle };
}

/** Runs vendor ticket workflows and their activities on a Temporal task queue. */
export class TemporalWorker {
  private constructor(
    private readonly worker: Worker,
    private readonly connection: NativeConnection,
    private readonly running: Promise<void>,
  ) {}

  static async start(options: TemporalWorkerOptions): Promise<TemporalWorker> {
    if (!runtimeInstalled) {
      // The SDK's own log lines go to our logger at warn and above; its debug chatter stays out.
      const log = options.logger;
      Runtime.install({
        logger: {
          log: (level, message, meta) => {
            if (level === 'WARN') log.warn(meta ?? {}, message);
            else if (level === 'ERROR') log.error(meta ?? {}, message);
          },
          trace: () => {},
          debug: () => {},
          info: () => {},
          warn: (m, meta) => log.warn(meta ?? {}, m),
          error: (m, meta) => log.error(meta ?? {}, m),
        },
      });
      runtimeInstalled = true;
    }
    const connection = await NativeConnection.connect({ address: options.address });
    const worker = await Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      identity: options.identity,
      ...(await workflows()),
      activities: createTicketActivities({
        redis: options.redis,
        deployment: options.deployment,
        store: new ShotStore(options.redis, options.deployment),
        trackers: options.trackers,
      }),
    });
    const running = worker.run();
    return new TemporalWorker(worker, connection, running);
  }

  /** Stops polling, lets in-flight tasks finish, then closes the connection. */
  async close(): Promise<void> {
    if (this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running;
    await this.connection.close();
  }
}
