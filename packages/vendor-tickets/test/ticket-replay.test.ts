import { readdirSync, readFileSync } from 'node:fs';
import { DefaultLogger, type ReplayResult, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../src/workflow-code';

// Histories of real tickets (`pnpm record-ticket-histories`), each one path a running ticket can be on.
// The worker's own start and stop lines say nothing here; a nondeterminism warning still shows.
Runtime.install({ logger: new DefaultLogger('WARN') });

const histories = new URL('./histories/', import.meta.url);
const fixtures = readdirSync(histories)
  .filter((name) => name.endsWith('.json'))
  .sort();

describe('the ticket workflow, replayed against the histories of recorded tickets', () => {
  it('makes the same decisions as the code that recorded them, for every fixture', async () => {
    expect(fixtures.length, 'no recorded histories to replay').toBeGreaterThan(0);
    const results: ReplayResult[] = [];
    const replays = Worker.runReplayHistories(
      { workflowsPath, replayName: 'vendor-ticket-fixtures' },
      fixtures.map((name) => ({
        workflowId: name.replace(/\.json$/, ''),
        history: JSON.parse(readFileSync(new URL(name, histories), 'utf8')),
      })),
    );
    for await (const result of replays) results.push(result);
    const failures = results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error}`);
    expect(failures).toEqual([]);
    expect(results.map((r) => r.workflowId)).toEqual(fixtures.map((name) => name.replace(/\.json$/, '')));
  }, 120_000);
});
