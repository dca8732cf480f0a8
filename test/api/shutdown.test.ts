import express from 'express';
import http from 'node:http';
import type { Socket } from 'node:net';
import { listen } from '../../src/api/server';
import { waitFor } from '../support/wait';

/**
 * Graceful shutdown of the HTTP server (what SIGTERM does to the API): it stops accepting
 * connections at once, lets requests in flight finish, closes idle keep-alive connections, and
 * gives up on stragglers after the grace period.
 */

/** /slow answers only when the test lets it; `entered` resolves once a request is in its handler. */
function slowApp() {
  let enter!: () => void;
  const entered = new Promise<void>((resolve) => (enter = resolve));
  let finish!: () => void;
  const finishing = new Promise<void>((resolve) => (finish = resolve));
  const app = express();
  app.get('/slow', async (_req, res) => {
    enter();
    await finishing;
    res.json({ finished: true });
  });
  app.get('/fast', (_req, res) => res.json({ ok: true }));
  return { app, entered, finish };
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

it('when closed with a slow request in flight, then that request completes, new connections are refused, idle ones are closed, and close waits for it', async () => {
  const slow = slowApp();
  const server = await listen(slow.app, 0, '127.0.0.1');
  const idle = new http.Agent({ keepAlive: true });
  const idleSockets: Socket[] = [];
  idle.on('free', (socket) => idleSockets.push(socket));
  await get(`${server.url}/fast`, idle); // leaves an idle keep-alive connection behind
  await waitFor(() => idleSockets.length === 1, { description: 'the keep-alive connection to be idle in the agent' });
  let idleClosed = false;
  idleSockets[0].once('close', () => (idleClosed = true));

  const inFlight = get(`${server.url}/slow`);
  await slow.entered;
  let closed = false;
  const closing = server.close().then(() => (closed = true));

  await expect(get(`${server.url}/fast`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  await waitFor(() => idleClosed, { description: 'the server to close the idle keep-alive connection' });
  expect(closed).toBe(false);

  slow.finish();
  expect(await inFlight).toEqual({ status: 200, body: JSON.stringify({ finished: true }) });
  await closing;
  idle.destroy();
});

it('when a request outlives the grace period, then close() ends it rather than hanging', async () => {
  // The handler never answers: only the grace period's forced close can end the request.
  const slow = slowApp();
  const server = await listen(slow.app, 0, '127.0.0.1', 500);
  const stuck = get(`${server.url}/slow`).then(
    () => 'answered',
    (error: NodeJS.ErrnoException) => error.code,
  );
  await slow.entered;
  await server.close();
  expect(await stuck).toBe('ECONNRESET');
  slow.finish();
});
