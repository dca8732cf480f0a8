import fs from 'node:fs/promises';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config';

/**
 * Connections to Temporal for the API (Connection) and the worker (NativeConnection), from the
 * same settings: the local dev server, a self-hosted cluster with mTLS, or Temporal Cloud
 * with an API key.
 */

export type TemporalSettings = Pick<Config['temporal'], 'address' | 'namespace' | 'tls' | 'apiKey' | 'devServerPort'>;

/** TEMPORAL_ADDRESS, or the dev server this project starts when it is unset. */
export function temporalAddress(settings: Pick<TemporalSettings, 'address' | 'devServerPort'>): string {
  return settings.address ?? `127.0.0.1:${settings.devServerPort}`;
}

/** Every call of the API's client that sets no deadline of its own gets this one. */
export const API_CALL_DEADLINE_MS = 10_000;

/**
 * The client connection (API, launcher, scripts). Calls are bounded so an outage turns into a
 * quick error (503 at the API) rather than a hung request: a deadline on every call, a few
 * quick retries instead of the SDK's default ten with up to 5 s between them, and a channel
 * that tries to reconnect at least every 2 s, so it recovers soon after the server returns.
 */
export async function connectTemporal(settings: TemporalSettings, options: { lazy?: boolean } = {}): Promise<Connection> {
  const connectionSettings = {
    ...(await connectionOptions(settings)),
    connectTimeout: '10s' as const,
    interceptors: [
      defaultDeadline(API_CALL_DEADLINE_MS),
      makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4, maxIntervalMs: () => 1_000 })),
    ],
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 2_000 },
  };
  // Lazy: the process starts even while Temporal is down, and connects on first use.
  return options.lazy ? Connection.lazy(connectionSettings) : Connection.connect(connectionSettings);
}

/** A gRPC interceptor giving calls without a deadline one `ms` from now (outermost, so it bounds the retries too). */
type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];

export function defaultDeadline(ms: number): Interceptor {
  return (options, nextCall) =>
    // nextCall's InterceptingCallInterface is what grpc-js chains; its typings ask for the class.
    nextCall(options.deadline === undefined || options.deadline === Infinity ? { ...options, deadline: Date.now() + ms } : options) as ReturnType<Interceptor>;
}

export async function connectWorkerTemporal(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect(await connectionOptions(settings));
}

async function connectionOptions(settings: TemporalSettings) {
  return {
    address: temporalAddress(settings),
    tls: await tlsOptions(settings.tls),
    apiKey: settings.apiKey,
    // Temporal Cloud routes API-key requests by this header; other servers ignore it.
    metadata: { 'temporal-namespace': settings.namespace },
  };
}

async function tlsOptions(tls: TemporalSettings['tls']): Promise<TLSConfig | undefined> {
  if (!tls) return undefined;
  const config: TLSConfig = {};
  if (tls.serverName) config.serverNameOverride = tls.serverName;
  if (tls.certPath && tls.keyPath) {
    config.clientCertPair = {
      crt: await readTlsFile(tls.certPath, 'TEMPORAL_TLS_CERT_PATH'),
      key: await readTlsFile(tls.keyPath, 'TEMPORAL_TLS_KEY_PATH'),
    };
  }
  return config;
}

async function readTlsFile(file: string, variable: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    throw new Error(`Cannot read ${variable} (${file}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
