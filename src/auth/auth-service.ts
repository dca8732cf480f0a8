import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '../db/client';
import { normalizeEmail } from '../domain/email';
import { mailErrorSummary, type Mailer } from '../mail/mailer';
import { renderSignInCode } from './sign-in-email';

/** Who is signed in, as every route sees it. */
export interface SessionUser {
  id: string;
  email: string;
  role: 'RESIDENT' | 'OPERATOR' | 'ADMIN';
  /** Districts an operator works; empty for residents and admins (admins see all). */
  districtIds: number[];
}

/**
 * RATE_LIMITED: too many codes asked for; GUESSES_LIMITED: too many wrong codes for the address
 * in a day; MAIL_REJECTED: the mail server refused the address for good; MAIL_UNAVAILABLE: the
 * code could not be sent now. A code that surely did not leave is not kept (it counts against no
 * limit); one cut off by the send deadline is, since it may still arrive.
 */
export type AuthFailure = 'RATE_LIMITED' | 'GUESSES_LIMITED' | 'CODE_INVALID' | 'CODE_EXHAUSTED' | 'MAIL_REJECTED' | 'MAIL_UNAVAILABLE';

export interface AuthErrorDetails {
  /** RATE_LIMITED, GUESSES_LIMITED and MAIL_*: when asking again can succeed. */
  retryAfterSeconds?: number;
  /** CODE_INVALID after a counted try: the tries the address's codes still allow. */
  attemptsLeft?: number;
  /** MAIL_*: the mail error's code and reply code only (its message names the address). */
  mailError?: string;
}

export class AuthError extends Error {
  readonly retryAfterSeconds?: number;
  readonly attemptsLeft?: number;
  readonly mailError?: string;

  constructor(
    readonly failure: AuthFailure,
    details: AuthErrorDetails = {},
  ) {
    super(failure);
    this.name = 'AuthError';
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.attemptsLeft = details.attemptsLeft;
    this.mailError = details.mailError;
  }
}

export interface AuthPolicy {
  codeTtlMs: number;
  /** Wrong tries one code takes before it is void. */
  maxAttempts: number;
  perEmail: { max: number; windowMs: number };
  perClient: { max: number; windowMs: number };
  /**
   * Wrong codes checked for one address, over all its codes: without it, asking for fresh codes
   * gave 15 guesses every 10 minutes for ever (a 6-digit code falls in months). A person
   * mistypes a few; reaching the cap pauses sign-in for that address until the window frees.
   */
  wrongCodesPerEmail: { max: number; windowMs: number };
  sessionTtlMs: number;
}

export const defaultAuthPolicy: AuthPolicy = {
  codeTtlMs: 10 * 60_000,
  maxAttempts: 5,
  perEmail: { max: 3, windowMs: 10 * 60_000 },
  perClient: { max: 20, windowMs: 10 * 60_000 },
  wrongCodesPerEmail: { max: 30, windowMs: 24 * 3_600_000 },
  sessionTtlMs: 30 * 24 * 3_600_000,
};

export interface AuthServiceDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  policy?: AuthPolicy;
  now?: () => Date;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Whole seconds from `at` until `instant`, at least one: a Retry-After of 0 invites a busy loop. */
const secondsUntil = (instant: number, at: Date) => Math.max(1, Math.ceil((instant - at.getTime()) / 1000));


export function createAuthService({ prisma, mailer, policy = defaultAuthPolicy, now = () => new Date() }: AuthServiceDeps) {
  const codeHash = (rowId: string, code: string) => sha256(`${rowId}:${code}`);

  async function requestCode(rawEmail: string, clientAddress: string): Promise<void> {
    const email = normalizeEmail(rawEmail);
    const clientHash = sha256(`client:${clientAddress}`);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const issuedAt = now();
    const id = randomUUID();

    // Serialised per address and per client (always in this order, so two requests cannot wait
    // for each other), so concurrent requests cannot slip past either limit together.
    await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`login:${email}`}))`;
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`login-client:${clientHash}`}))`;
      // A code for an address paused for wrong codes could not be used: none is sent.
      await enforceWrongCodeLimit(tx, email, issuedAt);
      await enforceLimit(tx, { email }, policy.perEmail, issuedAt);
      await enforceLimit(tx, { clientHash }, policy.perClient, issuedAt);
      await tx.loginCode.create({
        data: { id, email, codeHash: codeHash(id, code), clientHash, createdAt: issuedAt, expiresAt: new Date(issuedAt.getTime() + policy.codeTtlMs) },
      });
    });
    try {
      await mailer.send({ to: email, ...renderSignInCode(code, policy.codeTtlMs) });
    } catch (error) {
      // A code nobody received must not count against the limits, nor be guessable. A send cut
      // off by its deadline may still have been delivered: that code stays, so it works if it arrives.
      if (!mayHaveBeenDelivered(error)) await prisma.loginCode.deleteMany({ where: { id } });
      throw new AuthError(isRecipientRefused(error) ? 'MAIL_REJECTED' : 'MAIL_UNAVAILABLE', { retryAfterSeconds: MAIL_RETRY_AFTER_SECONDS, mailError: mailErrorSummary(error) });
    }
  }

  async function enforceLimit(
    tx: Pick<PrismaClient, 'loginCode'>,
    where: { email: string } | { clientHash: string },
    limit: { max: number; windowMs: number },
    at: Date,
  ) {
    const windowStart = new Date(at.getTime() - limit.windowMs);
    const recent = await tx.loginCode.findMany({
      where: { ...where, createdAt: { gt: windowStart } },
      orderBy: { createdAt: 'asc' },
      select: { createdAt: true },
      take: limit.max,
    });
    if (recent.length < limit.max) return;
    const freesAt = recent[0].createdAt.getTime() + limit.windowMs;
    throw new AuthError('RATE_LIMITED', { retryAfterSeconds: secondsUntil(freesAt, at) });
  }

  /**
   * Any live code of the address signs in (a second request, a double click, must not void the
   * first e-mail). A wrong code counts against every live code it was checked against, so each
   * check is one try whichever code it was meant for, and against the address's daily cap.
   */
  async function signIn(rawEmail: string, code: string): Promise<{ token: string; expiresAt: Date; user: SessionUser }> {
    const email = normalizeEmail(rawEmail);
    const at = now();
    const accepted = await prisma.$transaction(async (tx) => {
      // The same lock as requestCode: tries of one address are counted one after another.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`login:${email}`}))`;
      await enforceWrongCodeLimit(tx, email, at);
      const live = await tx.loginCode.findMany({ where: { email, consumedAt: null, expiresAt: { gt: at } }, orderBy: { createdAt: 'desc' } });
      if (live.length === 0) throw new AuthError('CODE_INVALID');
      const open = live.filter((candidate) => candidate.attempts < policy.maxAttempts);
      if (open.length === 0) throw new AuthError('CODE_EXHAUSTED');
      const match = open.find((candidate) => sameHash(codeHash(candidate.id, code), candidate.codeHash));
      if (match) {
        await tx.loginCode.update({ where: { id: match.id }, data: { consumedAt: at } });
        // Signed in: the address's other codes are void too (expired, so consumed_at still marks the code that was used).
        await tx.loginCode.updateMany({ where: { email, consumedAt: null, expiresAt: { gt: at } }, data: { expiresAt: at } });
        return true;
      }
      await tx.loginCode.updateMany({ where: { id: { in: open.map((candidate) => candidate.id) } }, data: { attempts: { increment: 1 } } });
      return Math.max(0, ...open.map((candidate) => policy.maxAttempts - candidate.attempts - 1));
    });
    // Thrown after the commit: the wrong try must stay counted.
    if (accepted !== true) throw new AuthError(accepted === 0 ? 'CODE_EXHAUSTED' : 'CODE_INVALID', { attemptsLeft: accepted });

    const account = await prisma.user.upsert({ where: { email }, create: { email }, update: {} });
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(at.getTime() + policy.sessionTtlMs);
    await prisma.session.create({ data: { id: sha256(token), userId: account.id, createdAt: at, expiresAt } });
    const user = await loadSessionUser(account.id);
    if (!user) throw new Error('user vanished while signing in');
    return { token, expiresAt, user };
  }

  /**
   * Wrong tries are the attempts on the address's codes of the window (a right try is not
   * counted). Sign-in frees when enough of the oldest codes have left the window for the rest to
   * fall under the cap, which may take more than the oldest one: a try counts on each live code.
   */
  async function enforceWrongCodeLimit(tx: Pick<PrismaClient, 'loginCode'>, email: string, at: Date) {
    const { max, windowMs } = policy.wrongCodesPerEmail;
    const tried = await tx.loginCode.findMany({
      where: { email, createdAt: { gt: new Date(at.getTime() - windowMs) }, attempts: { gt: 0 } },
      orderBy: { createdAt: 'asc' },
      select: { createdAt: true, attempts: true },
    });
    let wrong = tried.reduce((sum, code) => sum + code.attempts, 0);
    if (wrong < max) return;
    let freesAt = at.getTime();
    for (const code of tried) {
      wrong -= code.attempts;
      freesAt = code.createdAt.getTime() + windowMs;
      if (wrong < max) break;
    }
    throw new AuthError('GUESSES_LIMITED', { retryAfterSeconds: secondsUntil(freesAt, at) });
  }

  async function loadSessionUser(userId: string): Promise<SessionUser | undefined> {
    const user = await prisma.user.findUnique({ where: { id: userId }, include: { operatorDistricts: true } });
    return user ? toSessionUser(user) : undefined;
  }

  /** Every API request starts here: the session, its user and their districts in one statement. */
  async function resolveSession(token: string): Promise<SessionUser | undefined> {
    const session = await prisma.session.findUnique({ where: { id: sha256(token) }, include: { user: { include: { operatorDistricts: true } } } });
    if (!session || session.revokedAt || session.expiresAt <= now()) return undefined;
    return toSessionUser(session.user);
  }

  async function revokeSession(token: string): Promise<void> {
    await prisma.session.updateMany({ where: { id: sha256(token), revokedAt: null }, data: { revokedAt: now() } });
  }

  return { requestCode, signIn, resolveSession, revokeSession };
}

export type AuthService = ReturnType<typeof createAuthService>;

function toSessionUser(user: { id: string; email: string; role: SessionUser['role']; operatorDistricts: { districtId: number }[] }): SessionUser {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    districtIds: user.operatorDistricts.map((link) => link.districtId).sort((a, b) => a - b),
  };
}

/** How soon a client may ask again after the mail server could not take a code. */
const MAIL_RETRY_AFTER_SECONDS = 30;

/**
 * The mail server's permanent "no" to this recipient (a 5xx reply to RCPT TO, such as 550 for an
 * unknown mailbox): the address is the problem. A 5xx anywhere else (a wrong SMTP password, a
 * refused sender, STARTTLS required) is the service's own fault, not the person's.
 */
function isRecipientRefused(error: unknown): boolean {
  const { code, responseCode, rejected } = (error ?? {}) as { code?: unknown; responseCode?: unknown; rejected?: unknown };
  return code === 'EENVELOPE' && Array.isArray(rejected) && rejected.length > 0 && typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
}

/** Cut off by the send deadline or a silent server: the message may have been taken whole before the answer was lost. */
function mayHaveBeenDelivered(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EABORT' || code === 'ETIMEDOUT';
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
