import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/**
 * `/metrics` on an internal port of its own, never on the public API port: the port is bound to
 * METRICS_HOST (127.0.0.1 unless set) and, when METRICS_TOKEN is set, a scrape must also carry
 * `Authorization: Bearer <token>`. Nothing else is served.
 */

export interface MetricsServerOptions {
  registry: Registry;
  host: string;
  port: number;
  token?: string;
  /** More exposition text appended to the registry's (the Temporal SDK's own metrics in the worker). */
  extra?: () => Promise<string>;
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const expected = options.token ? digest(options.token) : undefined;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
      return;
    }
    if (expected && !authorized(req.headers.authorization, expected)) {
      res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer realm="metrics"' }).end('Unauthorized\n');
      return;
    }
    void render(options).then(
      (body) => res.writeHead(200, { 'Content-Type': options.registry.contentType }).end(req.method === 'HEAD' ? undefined : body),
      () => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Metrics could not be collected\n'),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    port,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function render({ registry, extra }: MetricsServerOptions): Promise<string> {
  const own = await registry.metrics();
  if (!extra) return own;
  const more = await extra().catch(() => '');
  return more ? `${own}\n${more}` : own;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares hashes, so neither the token's length nor its content leaks through timing. */
function authorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return Boolean(match) && timingSafeEqual(digest(match![1]), expected);
}
