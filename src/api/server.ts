import type { Express } from 'express';
import type { Server } from 'node:http';

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections and waits for requests in flight (bounded by a grace period). */
  close(): Promise<void>;
}

export async function listen(app: Express, port: number, host?: string, graceMs = 10_000): Promise<RunningServer> {
  const server: Server = await new Promise((resolve, reject) => {
    const candidate = app.listen(port, host ?? '0.0.0.0', (error?: Error) => (error ? reject(error) : resolve(candidate)));
  });
  // Idle keep-alive sockets would hold close() open until they time out.
  server.keepAliveTimeout = 5_000;
  // While closing, a connection whose last request in flight has just been answered is idle:
  // close it then, rather than when its keep-alive times out.
  let closing = false;
  server.on('request', (_req, res) => {
    res.once('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    port: actualPort,
    url: `http://localhost:${actualPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing = true;
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close((error) => {
          clearTimeout(force);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
