import { Runtime, type RuntimeOptions, type TelemetryOptions } from '@temporalio/worker';
import { findFreePort } from '../infra/process-tools';

/**
 * The Temporal SDK's own worker metrics (task slots, poll latencies, sticky cache, activity and
 * workflow task outcomes…) come from its Rust core, which serves them in Prometheus format on a
 * port of its own. The worker binds it to loopback and appends it to its /metrics, so one
 * scrape per worker gets both.
 */
function sdkTelemetryOptions(sdkPort: number): TelemetryOptions {
  return {
    metrics: {
      metricPrefix: 'temporal_',
      prometheus: { bindAddress: `127.0.0.1:${sdkPort}`, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true },
    },
  };
}

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

/** Reads the core's exposition text; empty when it is not (yet) serving. */
export async function readSdkMetrics(sdkPort: number): Promise<string> {
  try {
    const response = await fetch(`http://127.0.0.1:${sdkPort}/metrics`, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? await response.text() : '';
  } catch {
    return '';
  }
}
