import { Runtime, type RuntimeOptions } from '@temporalio/worker';
import { findFreePort } from '../infra/process-tools';
import { sdkTelemetryOptions } from '../metrics';

const FREE_PORT_ATTEMPTS = 3;

/**
 * Installs the SDK's runtime with the core's exporter on `sdkPort`, or, given 0, on any free
 * loopback port. The core binds the address it is given and cannot tell which port the system
 * chose, so a free one is found first; another process may take it in between, and the install
 * then fails at once and is tried on a fresh port (three in all). Returns the port in use.
 */
export async function installSdkRuntime(options: Omit<RuntimeOptions, 'telemetryOptions'>, sdkPort: number, freePort = findFreePort): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    const port = sdkPort || (await freePort());
    try {
      Runtime.install({ ...options, telemetryOptions: sdkTelemetryOptions(port) });
      return port;
    } catch (error) {
      const taken = /address already in use/i.test((error as Error).message);
      if (sdkPort !== 0 || !taken || attempt === FREE_PORT_ATTEMPTS) throw error;
    }
  }
}
