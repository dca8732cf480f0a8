/** Scenario (c), worker side: its own process, the bench task queue, the booking worker's tuning and codec. */
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { AesGcmPayloadCodec, bookingDataConverter, parsePayloadKeys } from '../../src/codec';
import { BOOKING_WORKER_TUNING } from '../../src/worker/create-worker';

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { keys } = parsePayloadKeys(process.env.PAYLOAD_KEYS!, 'PAYLOAD_KEYS');
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: process.env.TEMPORAL_TASK_QUEUE!,
    workflowsPath: require.resolve('../workflows/trivial.workflow'),
    dataConverter: bookingDataConverter(new AesGcmPayloadCodec(keys)),
    ...BOOKING_WORKER_TUNING,
  });
  console.log('WORKER READY');
  await worker.run();
  await connection.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
