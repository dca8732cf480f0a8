import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SLOT_RULES } from '../../src/domain/slot-rules';
import { undecreedYears } from '../../src/domain/work-calendar';
import { findFreePort } from '../../src/infra/process-tools';
import { waitFor } from '../support/wait';

/**
 * `npm start` stopped with Ctrl-C in a terminal, which signals the whole foreground process
 * group: the parts must still stop in order, the database last, not all at once.
 */

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../..');
let launcher: ChildProcess | undefined;
let output = '';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-start-'));

afterAll(async () => {
  if (launcher && launcher.exitCode === null && launcher.signalCode === null) {
    launcher.kill('SIGTERM');
    await waitFor(() => launcher!.exitCode !== null || launcher!.signalCode !== null, { timeoutMs: 60_000, description: 'the service to stop' }).catch(() => launcher!.kill('SIGKILL'));
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('when the terminal sends SIGINT to the whole process group, then the service stops its parts in order, PostgreSQL last, and exits 0', async () => {
  const port = await findFreePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_PG_PORT: String(await findFreePort()),
    TEMPORAL_PORT: String(await findFreePort()),
    TEMPORAL_UI_PORT: String(await findFreePort()),
    // Any free ports, which the service binds itself (the others it must know before it starts).
    METRICS_PORT: '0',
    TEMPORAL_SDK_METRICS_PORT: '0',
  };
  // Everything embedded, whatever the test run itself points at.
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL', 'PUBLIC_URL', 'TEMPORAL_UI_UPSTREAM', 'TEMPORAL_UI_URL']) delete env[name];
  // detached: a process group of its own, as a terminal gives a foreground job.
  launcher = spawn(process.execPath, ['--import', 'tsx', 'src/dev/start.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  launcher.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(() => output.includes('press Ctrl-C to stop') || launcher!.exitCode !== null, { timeoutMs: 200_000, intervalMs: 250, description: 'npm start to be ready' });
  expect(output).toContain('press Ctrl-C to stop');
  expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);

  process.kill(-launcher.pid!, 'SIGINT');
  const exitCode = await waitFor(() => launcher!.exitCode ?? (launcher!.signalCode ? -1 : null), { timeoutMs: 60_000, description: 'the service to stop' });

  expect(output).not.toMatch(/exited unexpectedly/);
  const stopped = (part: string) => output.indexOf(`stopped ${part}`);
  expect(stopped('HTTP server')).toBeGreaterThan(-1);
  expect(stopped('booking worker')).toBeGreaterThan(stopped('HTTP server'));
  expect(stopped('Temporal dev server')).toBeGreaterThan(stopped('booking worker'));
  expect(stopped('PostgreSQL')).toBeGreaterThan(stopped('Temporal dev server'));
  expect(exitCode).toBe(0);
  // The launcher's API warns like the API process when the production calendar lacks a decree.
  const undecreed = undecreedYears(new Date(), new Date(Date.now() + DEFAULT_SLOT_RULES.horizonMs));
  expect(output.includes('production calendar: no decree listed')).toBe(undecreed.length > 0);
});
