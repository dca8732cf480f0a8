/**
 * Records the histories of real booking runs into test/histories/*.json for the replay test
 * (test/bookings/booking-replay.test.ts). Re-record after an intended, patched() change:
 *
 *   DATABASE_URL=postgresql://… npx tsx scripts/record-histories.ts [scenario …]
 *
 * Uses OPENDK_TEST_TEMPORAL_ADDRESS if set, else starts an in-memory Temporal dev server; the
 * database is a throwaway one on OPENDK_TEST_ADMIN_URL (default: PostgreSQL on 127.0.0.1:5432).
 * Payloads are encrypted as in production, with the test-only key of test/support/payload-codec.ts
 * (the harness's data converter), so the replay test can read them back.
 */
import { temporal } from '@temporalio/proto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseUrl } from '../src/db/create-database';
import { loadConfig } from '../src/config';
import { findFreePort } from '../src/infra/process-tools';
import { resolveTemporalCli } from '../src/infra/temporal-cli';
import { startTemporalDevServer, type TemporalDevServer } from '../src/infra/temporal-dev-server';
import { startBookingHarness } from '../test/bookings/harness';
import { SCENARIOS } from '../test/bookings/scenarios';

/**
 * One folder per generation of the workflow code: recording after a patched() change adds a
 * folder and keeps the older ones, so the replay test keeps proving that bookings started
 * under earlier code still run. Bump this with every workflow change that adds a patch, and
 * with every change of how payloads are encoded (3: encrypted by src/codec; 4: the submission
 * e-mail through mail_outbox; 5: the place's search attributes and
 * the workflow revision set at the start, so no patch markers; 6: revision 2, the call-back task's
 * search attributes with the submission; 7: revision 3, the hold window and the settling of a
 * failed hold; 8: revision 4, human tasks due no later than the hard deadline; 9: revision 5,
 * the production calendar in the input).
 */
export const HISTORY_GENERATION = '9-work-calendar';
export const HISTORIES_DIR = path.resolve(__dirname, '..', 'test', 'histories', HISTORY_GENERATION);

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(SCENARIOS);
  for (const name of names) if (!SCENARIOS[name]) throw new Error(`Unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);

  // Histories are recorded on a private database of the server DATABASE_URL names.
  if (!process.env.OPENDK_TEST_ADMIN_URL) {
    const { database } = loadConfig();
    if (!database.url) throw new Error('Set DATABASE_URL (any database on the PostgreSQL server to record on), e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test');
    process.env.OPENDK_TEST_ADMIN_URL = databaseUrl(database.url, 'postgres');
  }
  let server: TemporalDevServer | undefined;
  if (!process.env.OPENDK_TEST_TEMPORAL_ADDRESS) {
    const config = loadConfig();
    const cliPath = await resolveTemporalCli({ configuredPath: config.temporal.cliPath, projectRoot: config.projectRoot, log: console.log });
    server = await startTemporalDevServer({
      cliPath,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-record-')),
      port: await findFreePort(),
      uiPort: await findFreePort(),
      persistent: false,
      log: console.log,
    });
    process.env.OPENDK_TEST_TEMPORAL_ADDRESS = server.address;
  }
  const h = await startBookingHarness('record');
  try {
    fs.mkdirSync(HISTORIES_DIR, { recursive: true });
    // Sequential: every run is short, and one at a time keeps the histories free of load noise.
    for (const name of names) {
      const recorded = await SCENARIOS[name](h);
      const { workflowId, runId } = typeof recorded === 'string' ? { workflowId: recorded, runId: undefined } : recorded;
      const history = await h.client.workflow.getHandle(workflowId, runId).fetchHistory();
      // protobufjs JSON (enum names, 64-bit ints as strings); read back with History.fromObject().
      fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), `${JSON.stringify({ workflowId, history: temporal.api.history.v1.History.fromObject(history).toJSON() }, null, 1)}\n`);
      console.log(`recorded ${name} (${history.events?.length ?? 0} events)`);
    }
  } finally {
    await h.close();
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
