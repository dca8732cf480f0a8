import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';

/**
 * The Temporal dev server that test/global-setup.ts starts once per run. Connections made
 * here belong to the test: close them in afterAll (`client.connection.close()`,
 * `nativeConnection.close()`), or Jest reports open handles.
 */

export function testTemporalAddress(): string {
  const address = process.env.OPENDK_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('OPENDK_TEST_TEMPORAL_ADDRESS is not set: run tests through Jest, whose global setup starts the Temporal dev server.');
  return address;
}

export const TEST_NAMESPACE = 'default';

/** A client of the run's server; pass testDataConverter() to talk to workers that use the codec. */
export async function createTestClient(options: { dataConverter?: DataConverter } = {}): Promise<Client> {
  const connection = await Connection.connect({ address: testTemporalAddress() });
  return new Client({ connection, namespace: TEST_NAMESPACE, dataConverter: options.dataConverter });
}

/** For Worker.create({ connection, … }) in tests. */
export function createTestWorkerConnection(): Promise<NativeConnection> {
  return NativeConnection.connect({ address: testTemporalAddress() });
}

/** A task queue of its own per test, so workers of other tests never pick up its tasks. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
