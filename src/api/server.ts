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
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    port: actualPort,
    url: `http://localhost:${actualPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
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
