import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { quietRuntime, workflowBundle } from './harness';

/**
 * Replays the histories of real runs (recorded by scripts/record-histories.ts) against the
 * current workflow code: a change that is not backwards compatible (no patched()) fails here.
 * Each subfolder holds one generation of the code (see scripts/record-histories.ts).
 */
const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');

function loadHistories(): { workflowId: string; history: temporal.api.history.v1.History; name: string }[] {
  return fs
    .readdirSync(HISTORIES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const saved = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as { workflowId: string; history: object };
      return { name: file, workflowId: saved.workflowId, history: temporal.api.history.v1.History.fromObject(saved.history) };
    });
}

test('when the saved booking histories are replayed against the current workflow code, then every one replays without a determinism error', async () => {
  quietRuntime();
  const histories = loadHistories();
  expect(histories.length).toBeGreaterThanOrEqual(14);
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
    replayed += 1;
    if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(histories.length);
}, 120_000);
