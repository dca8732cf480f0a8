import { findFreePort } from '../../src/infra/process-tools';
import { startTemporalDevServer, type TemporalDevServer, type TemporalDevServerOptions } from '../../src/infra/temporal-dev-server';
import { startOnFreshPorts } from './fresh-ports';

/**
 * A Temporal dev server of a test's own (its internal ports are found free the same way).
 * `uiPort`, when given, is kept: the test has already told its app where the UI is.
 */
export function startDevServerOnFreePorts(options: Omit<TemporalDevServerOptions, 'port' | 'uiPort'> & { uiPort?: number }): Promise<TemporalDevServer> {
  return startOnFreshPorts('the Temporal dev server', async () =>
    startTemporalDevServer({ ...options, port: await findFreePort(), uiPort: options.uiPort ?? (await findFreePort()) }),
  );
}
