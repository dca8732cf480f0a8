/**
 * Scenarios (a) and (b): the service's Express app (createApp: request ids, pino-http, JSON
 * parser, session loader, problem middleware) with one bench router that checks a booking body
 * exactly like POST /api/bookings does — the route's zod schema, then the domain slot rules
 * against the room, the price quote and the request hash — and answers 201.
 * (a) POST /api/bench/validate: no I/O (the rooms' rules are read once at start).
 * (b) POST /api/bench/insert: the same, plus one INSERT through the service's Prisma client.
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { createApp } from '../../src/api/app';
import { translateDomainError } from '../../src/api/domain-problems';
import { bookingBody } from '../../src/api/routes/bookings';
import { listen } from '../../src/api/server';
import { parseRequest } from '../../src/api/validate';
import { createAuthService } from '../../src/auth/auth-service';
import { requestHashOf } from '../../src/bookings/ids';
import { roomForRules } from '../../src/bookings/catalog';
import { createPrismaClient } from '../../src/db/client';
import { DomainError } from '../../src/domain/errors';
import { quotePrice } from '../../src/domain/price';
import { DEFAULT_SLOT_RULES, validateBookingRequest, type RoomForRules } from '../../src/domain/slot-rules';
import { createLogger } from '../../src/logger';
import { createCatalogService } from '../../src/venues/catalog-service';

async function main() {
  const prisma = createPrismaClient(process.env.DATABASE_URL!);
  const rooms = new Map<number, RoomForRules & { pricePerHour: number }>();
  for (const room of await prisma.room.findMany({ include: { venue: { include: { addOns: true } } } })) {
    rooms.set(room.id, { ...roomForRules(room), pricePerHour: room.pricePerHour });
  }

  function check(body: unknown) {
    const parsed = parseRequest(bookingBody, body, 'body');
    const room = rooms.get(parsed.roomId);
    if (!room) throw new DomainError('VALIDATION', 'Unknown room', [{ field: 'roomId', code: 'UNKNOWN_ROOM', messageRu: 'Такого зала нет', messageEn: 'No such room' }]);
    const checked = validateBookingRequest(parsed, room, new Date(), DEFAULT_SLOT_RULES);
    if (!checked.ok) throw new DomainError('VALIDATION', 'The booking request is invalid', checked.errors);
    const price = quotePrice({ startsAt: checked.value.startsAt, endsAt: checked.value.endsAt, pricePerHour: room.pricePerHour, addOns: checked.value.addOns });
    return { request: checked.value, price, requestHash: requestHashOf(parsed) };
  }

  const router = Router();
  router.post('/bench/validate', (req, res) => {
    const { request, price, requestHash } = check(req.body);
    res.status(201).json({ id: randomUUID(), roomId: request.roomId, startsAt: request.startsAt, endsAt: request.endsAt, price: price.total, requestHash });
  });
  router.post('/bench/insert', async (req, res) => {
    const { request, price, requestHash } = check(req.body);
    const id = randomUUID();
    await prisma.$executeRaw`INSERT INTO bench_inserts (id, room_id, starts_at, ends_at, request_hash, body) VALUES (${id}::uuid, ${request.roomId}, ${request.startsAt}, ${request.endsAt}, ${requestHash}, ${JSON.stringify(req.body)}::jsonb)`;
    res.status(201).json({ id, roomId: request.roomId, startsAt: request.startsAt, endsAt: request.endsAt, price: price.total, requestHash });
  });

  const mailer = { send: async () => ({ messageId: 'none' }), close: async () => undefined };
  const app = createApp({
    logger: createLogger(process.env.LOG_LEVEL ?? 'warn'),
    auth: createAuthService({ prisma, mailer }),
    catalog: createCatalogService(prisma),
    health: { check: async () => ({ database: 'up', temporal: 'up' }) },
    secureCookies: false,
    extensions: [{ router, translateError: translateDomainError }],
  });
  const server = await listen(app, Number(process.env.PORT ?? 0), '127.0.0.1');
  console.log(`LISTENING ${server.port}`);
  process.once('SIGTERM', () => void server.close().then(() => prisma.$disconnect()).then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
