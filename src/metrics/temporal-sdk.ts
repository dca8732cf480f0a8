import type { TelemetryOptions } from '@temporalio/worker';

/**
 * The Temporal SDK's own worker metrics (task slots, poll latencies, sticky cache, activity and
 * workflow task outcomes…) come from its Rust core, which serves them in Prometheus format on a
 * port of its own. The worker binds it to loopback and appends it to its /metrics, so one
 * scrape per worker gets both.
 */
export function sdkTelemetryOptions(sdkPort: number): TelemetryOptions {
  return {
    metrics: {
      metricPrefix: 'temporal_',
      prometheus: { bindAddress: `127.0.0.1:${sdkPort}`, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true },
    },
  };
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
