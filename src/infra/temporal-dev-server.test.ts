import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { loadConfig } from '../config';
import { pollUntil, StopPolling } from './poll';
import { findFreePort, isPortFree, terminateChild } from './process-tools';
import { listCustomSearchAttributes } from './search-attributes';
import { resolveTemporalCli } from './temporal-cli';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-dev-server';

/** Real `temporal server start-dev` processes on free ports, each test in its own data dir. */

jest.setTimeout(120_000);

const BOOKING_STATUS = defineSearchAttributeKey('BookingStatus', SearchAttributeType.KEYWORD);
const VENUE_ID = defineSearchAttributeKey('VenueId', SearchAttributeType.KEYWORD);
const DISTRICT = defineSearchAttributeKey('District', SearchAttributeType.KEYWORD);
const EVENT_DATE = defineSearchAttributeKey('EventDate', SearchAttributeType.DATETIME);

let cliPath: string;
let dataDir: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const config = loadConfig();
  cliPath = await resolveTemporalCli({ configuredPath: config.temporal.cliPath, projectRoot: config.projectRoot, log: () => undefined });
});

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-temporal-test-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<TemporalDevServer> {
  const server = await startTemporalDevServer({ cliPath, dataDir, port: await findFreePort(), uiPort: await findFreePort() });
  cleanups.push(() => server.stop());
  return server;
}

async function connect(address: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  cleanups.push(() => connection.close());
  return new Client({ connection, namespace: 'default' });
}

/** A workflow nobody executes: enough to see that the server accepts and stores the attributes. */
async function startBookingWorkflow(client: Client, workflowId: string) {
  return client.workflow.start('bookingWorkflow', {
    workflowId,
    taskQueue: 'no-worker',
    typedSearchAttributes: [
      { key: BOOKING_STATUS, value: 'AWAITING_CALLBACK' },
      { key: VENUE_ID, value: 'venue-1' },
      { key: DISTRICT, value: 'Коломна' },
      { key: EVENT_DATE, value: new Date('2030-01-15T16:00:00Z') },
    ],
  });
}

const EXPECTED_ATTRIBUTES = ['BookingStatus', 'District', 'EventDate', 'VenueId'];

test('starts, registers the search attributes, keeps state across a restart and stops cleanly', async () => {
  const startedAt = Date.now();
  const first = await start();
  const firstStartMs = Date.now() - startedAt;

  const client = await connect(first.address);
  const attributes = await listCustomSearchAttributes(client.connection, 'default');
  expect(Object.keys(attributes).filter((name) => EXPECTED_ATTRIBUTES.includes(name)).sort()).toEqual(EXPECTED_ATTRIBUTES);
  await startBookingWorkflow(client, 'booking-survives-restart');
  await client.connection.close();

  await first.stop();
  const port = Number(first.address.split(':')[1]);
  expect(await isPortFree(port)).toBe(true);

  const restartedAt = Date.now();
  const second = await start();
  const restartMs = Date.now() - restartedAt;
  const again = await connect(second.address);
  const description = await again.workflow.getHandle('booking-survives-restart').describe();
  expect(description.typedSearchAttributes.get(DISTRICT)).toBe('Коломна');
  expect(description.typedSearchAttributes.get(EVENT_DATE)?.toISOString()).toBe('2030-01-15T16:00:00.000Z');
  expect(Object.keys(await listCustomSearchAttributes(again.connection, 'default'))).toEqual(expect.arrayContaining(EXPECTED_ATTRIBUTES));
  // The CLI prints its banner after the frontend answers, so under load it may come a little later.
  await pollUntil(() => fs.readFileSync(second.logFile, 'utf8').includes('Server:'), { timeoutMs: 15_000, description: 'the banner in the server log' });
  process.stderr.write(`Temporal dev server start: ${firstStartMs} ms fresh, ${restartMs} ms on an existing database\n`);
});

test('adds the missing search attributes to a database created without them', async () => {
  // An "older run": the bare CLI, with one of the four attributes only.
  const port = await findFreePort();
  const old = spawn(cliPath, ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(await findFreePort()),
    '--db-filename', path.join(dataDir, 'temporal.db'), '--search-attribute', 'VenueId=Keyword'], { stdio: 'ignore' });
  cleanups.push(() => terminateChild(old, 10_000));
  await waitForFrontend(`127.0.0.1:${port}`, old);
  await terminateChild(old, 10_000);

  const logs: string[] = [];
  const server = await startTemporalDevServer({ cliPath, dataDir, port: await findFreePort(), uiPort: await findFreePort(), log: (m) => logs.push(m) });
  cleanups.push(() => server.stop());
  expect(logs.join('\n')).toMatch(/Registered search attributes BookingStatus, District, EventDate/);

  const client = await connect(server.address);
  expect(Object.keys(await listCustomSearchAttributes(client.connection, 'default'))).toEqual(expect.arrayContaining(EXPECTED_ATTRIBUTES));
  // Usable at once, not only listed: the frontend validates attributes on start.
  const handle = await startBookingWorkflow(client, 'booking-on-old-db');
  expect((await handle.describe()).typedSearchAttributes.get(BOOKING_STATUS)).toBe('AWAITING_CALLBACK');
});

test('names the leftover dev server that holds the port', async () => {
  const port = await findFreePort();
  const leftover = spawn(cliPath, ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(await findFreePort()), '--headless'], { stdio: 'ignore' });
  cleanups.push(() => terminateChild(leftover, 10_000));
  await waitForFrontend(`127.0.0.1:${port}`, leftover);

  await expect(startTemporalDevServer({ cliPath, dataDir, port, uiPort: await findFreePort() })).rejects.toThrow(
    new RegExp(`dev server \\(pid ${leftover.pid}, probably left from an earlier run\\) still holds port ${port}.*kill ${leftover.pid}`),
  );
});

async function waitForFrontend(address: string, child: ChildProcess): Promise<void> {
  await pollUntil(
    async () => {
      if (child.exitCode !== null) throw new StopPolling(new Error(`temporal exited with ${child.exitCode}`));
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      await connection.close();
      return true;
    },
    { timeoutMs: 30_000, description: `Temporal at ${address}` },
  );
}
