import { WorkflowNotFoundError, type Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app';
import { bookingExtensions } from '../../src/api/compose';
import { createHealthProbe } from '../../src/api/health';
import { createAuthService } from '../../src/auth/auth-service';
import type { BookingServiceDeps } from '../../src/bookings';
import { hours } from '../../src/domain/duration';
import type { BookingStatus } from '../../src/domain/status';
import { createLogger } from '../../src/logger';
import { createCatalogService } from '../../src/venues/catalog-service';
import { startBookingHarness, type BookingHarness } from '../bookings/harness';
import { bookingBody, newKey } from '../bookings/requests';
import { signIn } from '../support/app';
import { testCodec } from '../support/payload-codec';
import { waitFor } from '../support/wait';

/**
 * The real API (every router, the real error middleware) over a private database, the run's
 * Temporal dev server and a real worker, served once on port 0 and called over one keep-alive
 * connection, so thousands of generated requests stay cheap. Everything a property needs to
 * say "a refused request changed nothing" lives here: a database fingerprint, workflow history
 * lengths, and bookings driven to each state through the real routes.
 */

export const PERSONAS = ['resident', 'otherResident', 'operator', 'otherOperator', 'admin'] as const;
export type Persona = (typeof PERSONAS)[number];

export interface RawRequest {
  method: string;
  /** Sent byte for byte (percent-encode what must be encoded; malformed escapes are allowed). */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Which rows a request may have touched: one md5 per table (login codes without the try counter). */
export type Fingerprint = Record<string, string>;

export interface TargetBooking {
  id: string;
  workflowId: string;
  status: BookingStatus;
}

export interface ApiWorld {
  harness: BookingHarness;
  deps: BookingServiceDeps;
  /** `opendk_session=…` for each signed-in persona. */
  cookies: Record<Persona, string>;
  send(request: RawRequest): Promise<RawResponse>;
  fingerprint(): Promise<Fingerprint>;
  /** 0 for a workflow that does not exist. */
  historyLength(workflowId: string): Promise<number>;
  /** A booking of `owner` (default: the resident) for a fresh room, with CATERING ordered, driven to `status` through the API. */
  bookingIn(status: BookingStatus, owner?: Persona): Promise<TargetBooking>;
  /** Waits until the workflow's history stops growing (e-mails run after an update answered). */
  settle(workflowId: string): Promise<void>;
  /** Waits until the outbox has sent what is due (e-mails outside any workflow: an operator's appointment). */
  settleMail(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Timers far away, so no SLA step or deadline moves a booking while a property probes it (the
 * retry after an accepted NO_ANSWER too: its SLA steps would otherwise fire seconds later).
 */
const QUIET_POLICY = { callbackSla: hours(6), callbackRetryDelay: hours(6), addonsWindow: hours(6), confirmationSla: hours(6), hardDeadline: hours(12) };

/** The one browser origin the codec server accepts (one of the Origin values the generators send). */
export const CODEC_UI_ORIGIN = 'http://localhost:3000';

/** Two days ahead: inside the test slot rules' horizon and far from every timer. */
const START_IN_MS = 2 * 86_400_000;

export async function startApiWorld(label: string): Promise<ApiWorld> {
  const harness = await startBookingHarness(label);
  const deps = harness.deps(QUIET_POLICY);
  const auth = createAuthService({ prisma: harness.prisma, mailer: harness.inbox.mailer });
  const app = createApp({
    logger: createLogger('silent'),
    auth,
    catalog: createCatalogService(harness.prisma),
    health: createHealthProbe(harness.prisma, harness.client.connection as Connection),
    secureCookies: false,
    extensions: bookingExtensions(deps),
    codecServer: { codec: testCodec(), allowedOrigins: [CODEC_UI_ORIGIN] },
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

  const cookies = {} as Record<Persona, string>;
  for (const who of PERSONAS) cookies[who] = await signIn(auth, harness.inbox, harness.fixtures[who].email);

  function send({ method, path, headers = {}, body }: RawRequest): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      const outgoing = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: { ...(payload ? { 'Content-Length': String(payload.length) } : {}), ...headers },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      // A request the API never answers is a failure of its own, not a test timeout.
      outgoing.setTimeout(20_000, () => outgoing.destroy(new Error(`no answer to ${method} ${path} within 20 s`)));
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  const rowsOf = (table: string, columns = `t`) =>
    `(SELECT md5(coalesce(string_agg((${columns})::text, E'\\n' ORDER BY t.id), '')) FROM ${table} t) AS ${table}`;
  const fingerprintSql = `SELECT ${[
    rowsOf('bookings'),
    rowsOf('booking_events'),
    rowsOf('slot_holds'),
    rowsOf('booking_addons'),
    rowsOf('sessions'),
    rowsOf('users'),
    `(SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.user_id, t.district_id), '')) FROM operator_districts t) AS operator_districts`,
    rowsOf('staff_changes'),
    rowsOf('email_ledger'),
    // E-mail requests written with a change; the dispatcher's own bookkeeping (attempts, lease, sent) moves by itself.
    rowsOf('mail_outbox', 't.id, t.booking_id, t.kind, t.key, t.data, t.created_at'),
    // The try counter of a login code is meant to move on a wrong code (a 400): that is the limit.
    rowsOf('login_codes', 't.id, t.email, t.code_hash, t.client_hash, t.created_at, t.expires_at, t.consumed_at'),
    `(SELECT count(*)::text FROM login_codes) AS login_code_count`,
    `(SELECT count(*)::text FROM users) AS user_count`,
  ].join(',\n')}`;

  async function fingerprint(): Promise<Fingerprint> {
    const [row] = await harness.prisma.$queryRawUnsafe<Fingerprint[]>(fingerprintSql);
    return row;
  }

  async function historyLength(workflowId: string): Promise<number> {
    try {
      return (await harness.client.workflow.getHandle(workflowId).describe()).historyLength;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 0;
      throw error;
    }
  }

  async function settle(workflowId: string): Promise<void> {
    await waitFor(
      async () => {
        const events: temporal.api.history.v1.IHistoryEvent[] = (await harness.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
        const count = (key: keyof temporal.api.history.v1.IHistoryEvent) => events.filter((event) => event[key]).length;
        // Quiet: every activity finished and no workflow task pending (timers may wait for hours).
        return (
          count('activityTaskScheduledEventAttributes') ===
            count('activityTaskCompletedEventAttributes') + count('activityTaskFailedEventAttributes') + count('activityTaskTimedOutEventAttributes') &&
          count('workflowTaskScheduledEventAttributes') ===
            count('workflowTaskCompletedEventAttributes') + count('workflowTaskFailedEventAttributes') + count('workflowTaskTimedOutEventAttributes')
        );
      },
      { timeoutMs: 20_000, intervalMs: 50, description: `workflow ${workflowId} to be quiet` },
    );
    // The submission's e-mail is sent by the outbox dispatcher, outside the workflow's history.
    const bookingId = workflowId.replace(/^booking-/, '');
    await waitFor(async () => (await harness.prisma.mailOutbox.count({ where: { bookingId, sentAt: null, failedAt: null } })) === 0, {
      timeoutMs: 20_000,
      intervalMs: 50,
      description: `the outbox e-mail of ${workflowId} to be sent`,
    });
  }

  async function settleMail(): Promise<void> {
    await waitFor(async () => (await harness.prisma.mailOutbox.count({ where: { sentAt: null, failedAt: null } })) === 0, {
      timeoutMs: 20_000,
      intervalMs: 50,
      description: 'the outbox to send what is due',
    });
  }

  async function call(persona: Persona, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse & { json: { id: string; status: BookingStatus } }> {
    const response = await send({
      method,
      path,
      headers: { Cookie: cookies[persona], ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${path} as ${persona}: ${response.status} ${response.text}`);
    return { ...response, json: JSON.parse(response.text) };
  }

  async function bookingIn(status: BookingStatus, owner: Persona = 'resident'): Promise<TargetBooking> {
    const roomId = await harness.fixtures.newRoom();
    const created = await call(owner, 'POST', '/api/bookings', bookingBody(roomId, START_IN_MS, 3_600_000, { addOns: [{ code: 'CATERING', quantity: 2 }] }), {
      'Idempotency-Key': newKey(),
    });
    const id = created.json.id;
    const workflowId = `booking-${id}`;
    const path: [BookingStatus, () => Promise<unknown>][] = [
      ['ADDONS', () => call('operator', 'POST', `/api/operator/bookings/${id}/callback`, { outcome: 'AGREED', attempt: 1 })],
      ['AWAITING_CONFIRMATION', () => call(owner, 'POST', `/api/bookings/${id}/addons/submit`, {})],
      ['CONFIRMED', async () => {
        await call('operator', 'POST', `/api/operator/bookings/${id}/addons/CATERING/decision`, { decision: 'APPROVED', price: 250_000 });
        return call('operator', 'POST', `/api/operator/bookings/${id}/confirm`, {});
      }],
    ];
    const finals: Partial<Record<BookingStatus, () => Promise<unknown>>> = {
      CANCELLED: () => call(owner, 'POST', `/api/bookings/${id}/cancel`, { reason: 'Передумали' }),
      REJECTED: () => call('operator', 'POST', `/api/operator/bookings/${id}/reject`, { reason: 'Зал на ремонте' }),
    };
    if (finals[status]) {
      await finals[status]!();
    } else if (status !== 'AWAITING_CALLBACK') {
      const steps = path.slice(0, path.findIndex(([reached]) => reached === status) + 1);
      if (steps.length === 0) throw new Error(`bookingIn cannot reach ${status}`);
      // Each step is an update that answers once its state is projected; e-mails may still run.
      for (const [, step] of steps) await step();
    }
    await settle(workflowId);
    const row = await harness.prisma.booking.findUniqueOrThrow({ where: { id } });
    if (row.status !== status) throw new Error(`booking ${id} is ${row.status}, not ${status}`);
    return { id, workflowId, status };
  }

  return {
    harness,
    deps,
    cookies,
    send,
    fingerprint,
    historyLength,
    bookingIn,
    settle,
    settleMail,
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await harness.close();
    },
  };
}

/** Tables whose fingerprint differs. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return Object.keys(before).filter((table) => before[table] !== after[table]);
}
