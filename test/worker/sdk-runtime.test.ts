import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * The SDK exporter's port given as 0: the worker finds one free, and when another process takes
 * it before the core binds it, tries a fresh one. A port given explicitly is not swapped.
 */
it('when the port found free is taken before the SDK binds it, then another is tried and served; a port given explicitly and taken is an error', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures/install-sdk-runtime.ts')], { encoding: 'utf8', timeout: 60_000 });
  expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
  const outcome = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { taken: number; fixedRefused: boolean; offered: number[]; port: number; status: number };
  expect(outcome.fixedRefused).toBe(true);
  expect(outcome.offered).toHaveLength(2);
  expect(outcome.offered[0]).toBe(outcome.taken);
  expect(outcome.port).toBe(outcome.offered[1]);
  expect(outcome.status).toBe(200);
});
