import fs from 'node:fs/promises';
import { Connection, type TLSConfig } from '@temporalio/client';
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

export async function connectTemporal(settings: TemporalSettings): Promise<Connection> {
  return Connection.connect({ ...(await connectionOptions(settings)), connectTimeout: '10s' });
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
