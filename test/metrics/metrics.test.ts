import { Connection } from '@temporalio/client';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { createHealthProbe } from '../../src/api/health';
import { createAuthService } from '../../src/auth/auth-service';
import { BookingStatus, createPrismaClient, type PrismaClient } from '../../src/db/client';
import { createLogger } from '../../src/logger';
import { createEmailMetrics, createMetricsRegistry, registerBookingStatusGauge, startMetricsServer, type MetricsServer, type Registry } from '../../src/metrics';
import { createCatalogService } from '../../src/venues/catalog-service';
import { createBookingFixtures } from '../bookings/fixtures';
import { testDatabaseUrl } from '../support/db';
import { insertHeldBooking } from '../support/held-booking';
import { startTestInbox, type TestInbox } from '../support/smtp';
import { testTemporalAddress } from '../support/temporal';

/** /metrics on its own port: route patterns (not URLs), the bearer token, bookings by status from the database. */

const TOKEN = 'metrics-token-for-tests-0123456789';
let prisma: PrismaClient;
let temporal: Connection;
let inbox: TestInbox;
let registry: Registry;
let app: Express;
let server: MetricsServer;

beforeAll(async () => {
  prisma = createPrismaClient(testDatabaseUrl());
  temporal = await Connection.connect({ address: testTemporalAddress() });
  inbox = await startTestInbox();
  registry = createMetricsRegistry('api');
  registerBookingStatusGauge(registry, prisma);
  app = createApp({
    logger: createLogger('silent'),
    auth: createAuthService({ prisma, mailer: inbox.mailer }),
    catalog: createCatalogService(prisma),
    health: createHealthProbe(prisma, temporal),
    secureCookies: false,
    metrics: registry,
  });
  server = await startMetricsServer({ registry, host: '127.0.0.1', port: 0, token: TOKEN });
});

afterAll(async () => {
  await server?.close();
  await inbox?.close();
  await temporal?.close();
  await prisma?.$disconnect();
});

const scrape = (authorization?: string) => fetch(server.url, { headers: authorization ? { Authorization: authorization } : {} });

/** The value of one series, matched by name and every given label. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) return Number(line.split(' ').at(-1));
  }
  return undefined;
}

describe('the metrics port', () => {
  it('when a scrape has no or a wrong bearer token, then 401 and no metrics', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`]) {
      const response = await scrape(authorization);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain('opendk_');
    }
  });

  it('when anything but /metrics is asked, then 404', async () => {
    expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
  });

  it('when requests were served, then counts and latencies are labelled by route pattern and status, never by URL', async () => {
    // The registry lives for the whole file: compare with what it held before these requests.
    const before = await (await scrape(`Bearer ${TOKEN}`)).text();
    await request(app).get('/api/districts').expect(200);
    await request(app).get('/api/venues/987654321').expect(404);
    await request(app).get('/api/venues/987654322').expect(404);
    await request(app).get('/no/such/page').expect(404);

    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const added = (name: string, labels: Record<string, string>) => (sample(text, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(added('opendk_http_requests_total', { method: 'GET', route: '/api/districts', status: '200', service: 'api' })).toBe(1);
    expect(added('opendk_http_requests_total', { route: '/api/venues/:id', status: '404' })).toBe(2);
    expect(added('opendk_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    expect(added('opendk_http_request_duration_seconds_count', { route: '/api/venues/:id', status: '404' })).toBe(2);
    expect(added('opendk_http_request_duration_seconds_bucket', { route: '/api/districts', le: '+Inf' })).toBe(1);
    expect(text).not.toContain('987654321');
    expect(text).toContain('opendk_process_cpu_seconds_total');
  });

  it('when scraped, then bookings are counted by status from the database, every status included', async () => {
    const before = await (await scrape(`Bearer ${TOKEN}`)).text();
    // A different number of new bookings per status, so a count reported under the wrong status shows.
    const statuses = Object.values(BookingStatus);
    const added = new Map(statuses.map((status, index) => [status, index + 1]));
    const fixtures = await createBookingFixtures(prisma);
    const roomId = await fixtures.newRoom();
    let hour = 0;
    for (const [status, count] of added) {
      for (let i = 0; i < count; i++) {
        const startsAt = new Date(Date.UTC(2035, 0, 1, hour++));
        const holdId = await insertHeldBooking(prisma, { roomId, residentId: fixtures.resident.id, startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(), active: false });
        await prisma.booking.updateMany({ where: { hold: { id: holdId } }, data: { status } });
      }
    }

    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    const grouped = await prisma.booking.groupBy({ by: ['status'], _count: { _all: true } });
    for (const status of statuses) {
      const reported = sample(text, 'opendk_bookings', { status });
      expect({ status, reported }).toEqual({ status, reported: grouped.find((row) => row.status === status)?._count._all ?? 0 });
      expect({ status, added: reported! - sample(before, 'opendk_bookings', { status })! }).toEqual({ status, added: added.get(status) });
    }
    expect(sample(text, 'opendk_bookings_by_status_up', {})).toBe(1);
  });

  it('when e-mails are sent or fail, then the counters say so by kind', async () => {
    const email = createEmailMetrics(registry);
    email.sent('CONFIRMED');
    email.sent('CONFIRMED');
    email.failed('REMINDER');
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(sample(text, 'opendk_emails_sent_total', { kind: 'CONFIRMED' })).toBe(2);
    expect(sample(text, 'opendk_emails_failed_total', { kind: 'REMINDER' })).toBe(1);
  });
});
