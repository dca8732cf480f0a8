import { execFileSync } from 'node:child_process';
import { loadConfig } from '../src/config';
import { resolveTemporalCli } from '../src/infra/temporal-cli';

/**
 * Makes sure the Temporal CLI exists (building it with Go if needed) and prints where it is.
 * Used by .ci/run so the several-minute first build shows up as its own step, not inside
 * the test run's global setup.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const cli = await resolveTemporalCli({
    configuredPath: config.temporal.cliPath,
    projectRoot: config.projectRoot,
    log: (message) => console.log(message),
  });
  const version = execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`Temporal CLI: ${cli} (${version})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
