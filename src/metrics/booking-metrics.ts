import { Gauge, type Registry } from 'prom-client';
import { BookingStatus, type PrismaClient } from '../db/client';

const QUERY_TIMEOUT_MS = 3_000;

/**
 * Bookings by status, read from the projection in PostgreSQL on each scrape (one grouped
 * count over an indexed column). Every status is reported, zero included, so a status that
 * empties shows as 0 rather than vanishing. When the database cannot answer within 3 s the
 * scrape still succeeds: the gauge keeps its last values and
 * `opendk_bookings_by_status_up` drops to 0.
 */
export function registerBookingStatusGauge(registry: Registry, prisma: PrismaClient): void {
  const up = new Gauge({ name: 'opendk_bookings_by_status_up', help: '1 when the last read of bookings by status succeeded', registers: [registry] });
  new Gauge({
    name: 'opendk_bookings',
    help: 'Bookings by current status (from the database)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      try {
        const rows = await withTimeout(prisma.booking.groupBy({ by: ['status'], _count: { _all: true } }), QUERY_TIMEOUT_MS);
        const counts = new Map(rows.map((row) => [row.status, row._count._all]));
        for (const status of Object.values(BookingStatus)) this.set({ status }, counts.get(status) ?? 0);
        up.set(1);
      } catch {
        up.set(0);
      }
    },
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
