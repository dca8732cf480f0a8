import type { Request, RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * Request counts and latencies by method, route and status. The route is the Express pattern
 * (`/api/bookings/:id`), never the raw URL, so ids and search text do not become label values;
 * a request no route matched is `unmatched`.
 */
export function httpMetrics(registry: Registry): RequestHandler {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'opendk_http_requests_total', help: 'HTTP requests answered, by route pattern and status', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'opendk_http_request_duration_seconds',
    help: 'Time from receiving a request to the end of its response, by route pattern and status',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req, res, next) => {
    const stop = duration.startTimer();
    const route = captureRoute(req);
    res.once('finish', () => {
      const labels = { method: req.method, route: route(), status: String(res.statusCode) };
      requests.inc(labels);
      stop(labels);
    });
    next();
  };
}

/**
 * Express sets `req.route` when a route matches, while `req.baseUrl` still names the routers it
 * is mounted under; by the time the response finishes the routers have restored `baseUrl`. So
 * the full pattern is taken at the moment the route is set.
 */
function captureRoute(req: Request): () => string {
  let pattern: string | undefined;
  let current: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set(value: { path?: unknown } | undefined) {
      current = value;
      if (value && typeof value.path === 'string') pattern = `${req.baseUrl ?? ''}${value.path}`;
    },
  });
  return () => pattern ?? 'unmatched';
}
