import express from 'express';
import net from 'node:net';
import { listen, type RunningServer } from '../../src/api/server';

/** What Node's HTTP parser refuses never reaches Express; the client still gets a problem. */
let server: RunningServer;
beforeAll(async () => {
  server = await listen(express(), 0, '127.0.0.1');
});
afterAll(() => server.close());

function rawRequest(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => socket.write(request));
    let response = '';
    socket.on('data', (chunk) => (response += chunk.toString('utf8')));
    socket.on('end', () => resolve(response));
    socket.on('error', reject);
  });
}

it('when the headers exceed the limit, then 431 as problem+json', async () => {
  const response = await rawRequest(`GET /api/venues HTTP/1.1\r\nHost: x\r\nX-Junk: ${'a'.repeat(20_000)}\r\n\r\n`);
  expect(response).toMatch(/^HTTP\/1\.1 431 /);
  expect(response).toContain('Content-Type: application/problem+json');
  expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431, code: 'headers-too-large' });
});

it('when the request line is not HTTP, then 400 as problem+json in Russian', async () => {
  const response = await rawRequest('GARBAGE\r\n\r\n');
  expect(response).toMatch(/^HTTP\/1\.1 400 /);
  expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, title: 'Некорректный HTTP-запрос' });
});
