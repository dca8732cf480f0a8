import type { Config } from '../src/config';
import type { PrismaClient } from '../src/db/client';
import type { Mailer } from '../src/mail/mailer';

/** What the booking activities are built over; created once per worker process. */
export interface ActivityDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  config: Pick<Config, 'mail' | 'http'>;
}

/** Who did something, as the timeline records it. */
export interface EventActor {
  role: 'RESIDENT' | 'OPERATOR' | 'ADMIN' | 'SYSTEM';
  id: string | null;
}
