import { findFreePort } from '../../src/infra/process-tools';
import { startTemporalDevServer, type TemporalDevServer, type TemporalDevServerOptions } from '../../src/infra/temporal-dev-server';

/**
 * Starts a Temporal dev server of a test's own on ports found free just before. Another process
 * can take one of them in between (the server's internal ports are found the same way), and the
 * server then exits at start; it is started again on fresh ports, at most three times in all.
 * `uiPort`, when given, is kept: the test has already told its app where the UI is.
 */
export async function startDevServerOnFreePorts(options: Omit<TemporalDevServerOptions, 'port' | 'uiPort'> & { uiPort?: number }): Promise<TemporalDevServer> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startTemporalDevServer({ ...options, port: await findFreePort(), uiPort: options.uiPort ?? (await findFreePort()) });
    } catch (error) {
      if (attempt === 3) throw error;
      console.warn(`[test infra] the Temporal dev server did not start (attempt ${attempt} of 3), trying fresh ports: ${(error as Error).message}`);
    }
  }
}
