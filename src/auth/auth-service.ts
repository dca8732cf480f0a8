import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '../db/client';
import type { Mailer } from '../mail/mailer';
import { renderSignInCode } from './sign-in-email';

/** Who is signed in, as every route sees it. */
export interface SessionUser {
  id: string;
  email: string;
  role: 'RESIDENT' | 'OPERATOR' | 'ADMIN';
  /** Districts an operator works; empty for residents and admins (admins see all). */
  districtIds: number[];
}

export type AuthFailure = 'RATE_LIMITED' | 'CODE_INVALID' | 'CODE_EXHAUSTED';

export class AuthError extends Error {
  constructor(
    readonly failure: AuthFailure,
    readonly retryAfterSeconds?: number,
    readonly attemptsLeft?: number,
  ) {
    super(failure);
    this.name = 'AuthError';
  }
}

export interface AuthPolicy {
  codeTtlMs: number;
  maxAttempts: number;
  perEmail: { max: number; windowMs: number };
  perClient: { max: number; windowMs: number };
  sessionTtlMs: number;
}

export const defaultAuthPolicy: AuthPolicy = {
  codeTtlMs: 10 * 60_000,
  maxAttempts: 5,
  perEmail: { max: 3, windowMs: 10 * 60_000 },
  perClient: { max: 20, windowMs: 10 * 60_000 },
  sessionTtlMs: 30 * 24 * 3_600_000,
};

export interface AuthServiceDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  policy?: AuthPolicy;
  now?: () => Date;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function createAuthService({ prisma, mailer, policy = defaultAuthPolicy, now = () => new Date() }: AuthServiceDeps) {
  const codeHash = (rowId: string, code: string) => sha256(`${rowId}:${code}`);

  async function requestCode(rawEmail: string, clientAddress: string): Promise<void> {
    const email = normalizeEmail(rawEmail);
    const clientHash = sha256(`client:${clientAddress}`);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const issuedAt = now();

    // One transaction per address, serialised by an advisory lock, so concurrent requests
    // cannot slip past the per-address limit together.
    await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`login:${email}`}))`;
      await enforceLimit(tx, { email }, policy.perEmail, issuedAt);
      await enforceLimit(tx, { clientHash }, policy.perClient, issuedAt);
      const id = randomUUID();
      await tx.loginCode.create({
        data: { id, email, codeHash: codeHash(id, code), clientHash, createdAt: issuedAt, expiresAt: new Date(issuedAt.getTime() + policy.codeTtlMs) },
      });
    });
    await mailer.send({ to: email, ...renderSignInCode(code, policy.codeTtlMs) });
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
    throw new AuthError('RATE_LIMITED', Math.max(1, Math.ceil((freesAt - at.getTime()) / 1000)));
  }

  async function signIn(rawEmail: string, code: string): Promise<{ token: string; expiresAt: Date; user: SessionUser }> {
    const email = normalizeEmail(rawEmail);
    const at = now();
    const candidate = await prisma.loginCode.findFirst({
      where: { email, consumedAt: null, expiresAt: { gt: at } },
      orderBy: { createdAt: 'desc' },
    });
    if (!candidate) throw new AuthError('CODE_INVALID');
    // Count the try before comparing, atomically, so parallel guesses cannot exceed the cap.
    const counted = await prisma.loginCode.updateMany({
      where: { id: candidate.id, attempts: { lt: policy.maxAttempts }, consumedAt: null },
      data: { attempts: { increment: 1 } },
    });
    if (counted.count === 0) throw new AuthError('CODE_EXHAUSTED');
    const attemptsUsed = candidate.attempts + 1;
    if (!sameHash(codeHash(candidate.id, code), candidate.codeHash)) {
      const attemptsLeft = Math.max(0, policy.maxAttempts - attemptsUsed);
      throw new AuthError(attemptsLeft === 0 ? 'CODE_EXHAUSTED' : 'CODE_INVALID', undefined, attemptsLeft);
    }
    const consumed = await prisma.loginCode.updateMany({ where: { id: candidate.id, consumedAt: null }, data: { consumedAt: at } });
    if (consumed.count === 0) throw new AuthError('CODE_INVALID');

    const account = await prisma.user.upsert({ where: { email }, create: { email }, update: {} });
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(at.getTime() + policy.sessionTtlMs);
    await prisma.session.create({ data: { id: sha256(token), userId: account.id, createdAt: at, expiresAt } });
    const user = await loadSessionUser(account.id);
    if (!user) throw new Error('user vanished while signing in');
    return { token, expiresAt, user };
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

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
