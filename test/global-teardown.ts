import { stopTestInfrastructure } from './support/test-infrastructure';

/** Stops the Temporal dev server and PostgreSQL that test/global-setup.ts started. */
export default async function globalTeardown(): Promise<void> {
  const infra = globalThis.__openDkTestInfrastructure;
  if (!infra) return;
  globalThis.__openDkTestInfrastructure = undefined;
  await stopTestInfrastructure(infra);
}
