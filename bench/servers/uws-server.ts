/**
 * Scenario (c), client side: a bare Express app whose one route runs Update-with-Start of the
 * trivial workflow (a new workflow id per request) with the service's data converter and answers
 * 201 with the update's result. No database.
 */
import express from 'express';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { listen } from '../../src/api/server';
import { AesGcmPayloadCodec, bookingDataConverter, parsePayloadKeys } from '../../src/codec';
import { trivialUpdate, type trivialWorkflow } from '../workflows/trivial.workflow';

async function main() {
  const { keys } = parsePayloadKeys(process.env.PAYLOAD_KEYS!, 'PAYLOAD_KEYS');
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const client = new Client({ connection, namespace: 'default', dataConverter: bookingDataConverter(new AesGcmPayloadCodec(keys)) });
  const app = express();
  app.use(express.json());
  app.post('/bench/uws', async (req, res) => {
    const id = String(req.body?.id);
    const result = await client.workflow.executeUpdateWithStart(trivialUpdate, {
      updateId: 'submit',
      args: [{ id }],
      startWorkflowOperation: new WithStartWorkflowOperation<typeof trivialWorkflow>('trivialWorkflow', {
        workflowId: `bench-${id}`,
        taskQueue: process.env.TEMPORAL_TASK_QUEUE!,
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
    res.status(201).json(result);
  });
  const server = await listen(app, 0, '127.0.0.1');
  console.log(`LISTENING ${server.port}`);
  process.once('SIGTERM', () => void server.close().then(() => connection.close()).then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
