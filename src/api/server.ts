import type { Express } from 'express';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

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
  server.on('clientError', answerMalformedRequest);
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

/**
 * Requests Node's HTTP parser refuses before Express sees them (headers over the size limit,
 * raw bytes in the path): still a problem+json answer, in Russian, rather than a bare status line.
 */
function answerMalformedRequest(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    type: `/problems/${tooLarge ? 'headers-too-large' : 'malformed-request'}`,
    code: tooLarge ? 'headers-too-large' : 'malformed-request',
    status,
    title: tooLarge ? 'Слишком большие заголовки запроса' : 'Некорректный HTTP-запрос',
  });
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
