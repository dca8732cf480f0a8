import { ServiceError } from '@temporalio/client';
import { Prisma } from '../db/client';
import { toDomainError } from '../bookings/errors';
import { isDependencyUnavailable, translateUnavailable } from './unavailable';

/**
 * The shapes of "cannot reach the dependency" errors, one by one. The real outages (a stopped
 * and a hung PostgreSQL, a stopped Temporal server) are in test/api/outages.test.ts; this pins
 * the mappings those tests do not happen to produce.
 */

const prismaError = (code: string, meta?: Record<string, unknown>) => new Prisma.PrismaClientKnownRequestError('failed', { code, clientVersion: '7.0.0', meta });
const grpcError = (code: number) => Object.assign(new Error(`grpc ${code}`), { code });

describe('isDependencyUnavailable', () => {
  it.each(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028'])('when Prisma reports %s, then it is an outage', (code) => {
    expect(isDependencyUnavailable(prismaError(code))).toBe(true);
  });

  it.each(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections'])('when the driver adapter reports %s, then it is an outage', (kind) => {
    expect(isDependencyUnavailable(prismaError('P2010', { driverAdapterError: { cause: { kind } } }))).toBe(true);
  });

  it.each(['57P01', '57P03', '08006', '53300'])('when PostgreSQL answers SQLSTATE %s, then it is an outage', (originalCode) => {
    expect(isDependencyUnavailable(prismaError('P2010', { driverAdapterError: { cause: { kind: 'postgres', originalCode } } }))).toBe(true);
  });

  it('when a socket is refused, or pg times out connecting or reading, then it is an outage', () => {
    expect(isDependencyUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect', errno: -111 }))).toBe(true);
    expect(isDependencyUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDependencyUnavailable(new Error('Query read timeout'))).toBe(true);
    expect(isDependencyUnavailable(new Error('wrapped', { cause: new Error('Connection terminated unexpectedly') }))).toBe(true);
  });

  it('when Temporal is UNAVAILABLE, rate-limits or a call passes its deadline, then it is an outage; other gRPC failures are not', () => {
    expect(isDependencyUnavailable(new ServiceError('down', { cause: grpcError(14) }))).toBe(true);
    expect(isDependencyUnavailable(new ServiceError('slow', { cause: grpcError(4) }))).toBe(true);
    expect(isDependencyUnavailable(new ServiceError('busy', { cause: grpcError(8) }))).toBe(true);
    expect(isDependencyUnavailable(new ServiceError('bad', { cause: grpcError(3) }))).toBe(false);
  });

  it('when the booking service meets Temporal\'s errors, then only an outage is UNAVAILABLE; a refusal no retry mends (no such namespace, bad credentials) stays an error of its own', () => {
    const asDomain = (code: number) => toDomainError(new ServiceError(`grpc ${code}`, { cause: grpcError(code) }));
    for (const code of [4, 8, 14]) expect(asDomain(code)).toMatchObject({ type: 'UNAVAILABLE' });
    // An update-with-start's operation failure arrives as the grpc-js error itself.
    const raw = (code: number) => Object.assign(new Error(`${code} grpc`), { code, details: 'x', metadata: {} });
    expect(toDomainError(raw(14))).toMatchObject({ type: 'UNAVAILABLE' });
    expect(toDomainError(raw(5))).toBeInstanceOf(Error);
    expect(toDomainError(raw(5))).not.toHaveProperty('type');
    // A numeric code on anything else is no gRPC status.
    expect(isDependencyUnavailable(Object.assign(new Error('x'), { code: 14 }))).toBe(false);
    for (const code of [3, 5, 7, 16]) {
      expect(asDomain(code)).toBeInstanceOf(ServiceError);
      expect(translateUnavailable(asDomain(code))).toBeUndefined();
    }
  });

  it('when the error is the application\'s own (a constraint, a bug), then it is not an outage', () => {
    expect(isDependencyUnavailable(prismaError('P2002'))).toBe(false);
    expect(isDependencyUnavailable(prismaError('P2010', { driverAdapterError: { cause: { kind: 'postgres', originalCode: '23P01' } } }))).toBe(false);
    expect(isDependencyUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDependencyUnavailable(undefined)).toBe(false);
  });
});

it('when translated, then the problem is 503 service-unavailable with Retry-After', () => {
  const problem = translateUnavailable(prismaError('P1001'));
  expect(problem).toMatchObject({ status: 503, code: 'service-unavailable', headers: { 'Retry-After': '5' } });
  expect(translateUnavailable(new Error('nothing to do with outages'))).toBeUndefined();
});
