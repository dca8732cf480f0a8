import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One Prometheus registry per process (no global one, so tests can build as many apps as they
 * like): Node's process metrics plus what the API or the worker registers on it. Every series
 * carries `service` ("api" or "worker").
 */
export function createMetricsRegistry(service: 'api' | 'worker' | 'all-in-one'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'opendk_' });
  return registry;
}

export type { Registry };
