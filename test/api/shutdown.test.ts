import express from 'express';
import http from 'node:http';
import { listen } from '../../src/api/server';

/**
 * Graceful shutdown of the HTTP server (what SIGTERM does to the API): it stops accepting
 * connections at once, lets requests in flight finish, closes idle keep-alive connections, and
 * gives up on stragglers after the grace period.
 */

function slowApp(delayMs: number) {
  const app = express();
  app.get('/slow', async (_req, res) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
    res.json({ finished: true });
  });
  app.get('/fast', (_req, res) => res.json({ ok: true }));
  return app;
}

function get(url: string, agent?: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

it('when closed with a slow request in flight, then that request completes, new connections are refused, and close waits for it', async () => {
  const server = await listen(slowApp(1_500), 0, '127.0.0.1');
  const idle = new http.Agent({ keepAlive: true });
  await get(`${server.url}/fast`, idle); // leaves an idle keep-alive connection behind

  const inFlight = get(`${server.url}/slow`);
  await new Promise((resolve) => setTimeout(resolve, 200)); // the request has reached the handler
  const started = Date.now();
  let closed = false;
  const closing = server.close().then(() => (closed = true));

  await expect(get(`${server.url}/fast`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  expect(closed).toBe(false);
  expect(await inFlight).toEqual({ status: 200, body: JSON.stringify({ finished: true }) });
  await closing;
  // Neither the idle keep-alive connection (5 s) nor anything else held close() up.
  expect(Date.now() - started).toBeLessThan(3_000);
  idle.destroy();
});

it('when a request outlives the grace period, then close() ends it rather than hanging', async () => {
  const server = await listen(slowApp(30_000), 0, '127.0.0.1', 500);
  const stuck = get(`${server.url}/slow`).catch((error: NodeJS.ErrnoException) => error.code);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const started = Date.now();
  await server.close();
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(await stuck).toBe('ECONNRESET');
});
