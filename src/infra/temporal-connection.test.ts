import { testTemporalAddress } from '../../test/support/temporal';
import { connectTemporal, connectWorkerTemporal, temporalAddress } from './temporal-connection';

/** Against the run's dev server (plain TCP); TLS and API keys only as far as local checks go. */

const settings = () => ({ address: testTemporalAddress(), namespace: 'default', devServerPort: 7233 });

test('without TEMPORAL_ADDRESS the address is the local dev server', () => {
  expect(temporalAddress({ devServerPort: 7299 })).toBe('127.0.0.1:7299');
  expect(temporalAddress({ address: 'ns.acct.tmprl.cloud:7233', devServerPort: 7299 })).toBe('ns.acct.tmprl.cloud:7233');
});

test('connects a client and a worker connection', async () => {
  const connection = await connectTemporal(settings());
  try {
    const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(namespaceInfo?.name).toBe('default');
  } finally {
    await connection.close();
  }
  const native = await connectWorkerTemporal(settings());
  await native.close();
});

test('names the variable of an unreadable TLS file', async () => {
  const tls = { certPath: '/nonexistent/client.pem', keyPath: '/nonexistent/client.key' };
  await expect(connectTemporal({ ...settings(), tls })).rejects.toThrow('Cannot read TEMPORAL_TLS_CERT_PATH (/nonexistent/client.pem): ENOENT');
});
