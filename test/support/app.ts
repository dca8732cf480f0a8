import { Connection } from '@temporalio/client';
import type { Express } from 'express';
import { createApp } from '../../src/api/app';
import { createHealthProbe, type HealthProbe } from '../../src/api/health';
import { createAuthService, defaultAuthPolicy, type AuthPolicy, type AuthService } from '../../src/auth/auth-service';
import { createPrismaClient, type PrismaClient } from '../../src/db/client';
import { createLogger, type Logger } from '../../src/logger';
import type { Mailer } from '../../src/mail/mailer';
import { createCatalogService } from '../../src/venues/catalog-service';
import { testDatabaseUrl } from './db';
import { startTestInbox, type TestInbox } from './smtp';
import { testTemporalAddress } from './temporal';
import { waitFor } from './wait';

/** The real app over the test run's PostgreSQL and Temporal server; close() releases both. */
export interface TestApp {
  app: Express;
  prisma: PrismaClient;
  temporal: Connection;
  close(): Promise<void>;
}

export async function startTestApp(options: { mailer: Mailer; authPolicy?: Partial<AuthPolicy>; health?: HealthProbe; logger?: Logger; secureCookies?: boolean; publicHost?: string }): Promise<TestApp> {
  const prisma = createPrismaClient(testDatabaseUrl());
  const temporal = await Connection.connect({ address: testTemporalAddress() });
  const app = createApp({
    logger: options.logger ?? createLogger('silent'),
    auth: createAuthService({ prisma, mailer: options.mailer, policy: { ...defaultAuthPolicy, ...options.authPolicy } }),
    catalog: createCatalogService(prisma),
    health: options.health ?? createHealthProbe(prisma, temporal),
    secureCookies: options.secureCookies ?? false,
    publicHost: options.publicHost,
  });
  return {
    app,
    prisma,
    temporal,
    async close() {
      await temporal.close();
      await prisma.$disconnect();
    },
  };
}

let counter = 0;
/** An address no other test uses, so per-address limits never leak between tests. */
export const uniqueEmail = (label: string) => `${label}.${process.pid}.${Date.now()}.${++counter}@example.test`;

/**
 * Signs `email` in through the real code flow and returns the session cookie. The code is read
 * from the newest sign-in e-mail: other e-mails (an operator's appointment, sent by the worker)
 * may reach the same address at any moment.
 */
export async function signIn(auth: AuthService, inbox: { to(address: string): { subject?: string; text?: string }[] }, email: string): Promise<string> {
  const codeMails = () => inbox.to(email).filter((mail) => mail.subject?.startsWith('Код для входа'));
  const before = codeMails().length;
  await auth.requestCode(email, `test-${email}`);
  await waitFor(() => codeMails().length > before, { timeoutMs: 10_000, description: `a sign-in code e-mailed to ${email}` });
  const code = /\b(\d{6})\b/.exec(codeMails().at(-1)?.text ?? '')?.[1];
  if (!code) throw new Error(`no sign-in code in the e-mail to ${email}`);
  const { token } = await auth.signIn(email, code);
  return `opendk_session=${token}`;
}

/** A test app (its mailer an in-process inbox) started before the enclosing tests and closed after them. */
export function useTestApp(): () => TestApp {
  let inbox: TestInbox | undefined;
  let testApp: TestApp | undefined;
  beforeAll(async () => {
    inbox = await startTestInbox();
    testApp = await startTestApp({ mailer: inbox.mailer });
  });
  afterAll(async () => {
    await testApp?.close();
    await inbox?.close();
  });
  return () => {
    if (!testApp) throw new Error('useTestApp(): the app starts in beforeAll');
    return testApp;
  };
}
