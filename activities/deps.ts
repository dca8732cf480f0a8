import type { Config } from '../src/config';
import type { PrismaClient } from '../src/db/client';
import type { Mailer } from '../src/mail/mailer';
import type { EmailMetrics } from '../src/metrics/email-metrics';

/** What the booking activities are built over; created once per worker process. */
export interface ActivityDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  /** The mail settings, and the site's address for links in e-mails. */
  config: Pick<Config, 'mail'> & { http: Pick<Config['http'], 'publicUrl'> };
  /** Counts e-mails sent and failed for /metrics (the worker passes it; tests may leave it out). */
  metrics?: { email?: EmailMetrics };
}

/** Who did something, as the timeline records it. */
export interface EventActor {
  role: 'RESIDENT' | 'OPERATOR' | 'ADMIN' | 'SYSTEM';
  id: string | null;
}
