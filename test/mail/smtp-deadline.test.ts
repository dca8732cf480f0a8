import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createSmtpMailer } from '../../src/mail/create-mailer';
import { waitFor } from '../support/wait';

/**
 * A mail server that takes a whole message and then keeps its answer back: the hand-over must
 * still end at its deadline, not at the server's pace, so that it cannot outlast the ledger's
 * claim on the message (and run beside a retry that sends it again).
 */
describe('the SMTP hand-over deadline', () => {
  let server: SMTPServer;
  let url: string;
  const withheldAnswers: (() => void)[] = [];
  let messagesReceived = 0;
  let sessionsClosed = 0;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        stream.on('end', () => {
          messagesReceived += 1;
          withheldAnswers.push(() => callback());
        });
        stream.resume();
      },
      onClose() {
        sessionsClosed += 1;
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const answer of withheldAnswers) answer();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('a send whose answer does not come in time fails as aborted and closes its connection', async () => {
    // A short deadline shows what the default one does, without the wait. The failure must be
    // the deadline's (EABORT), not the idle socket's (ETIMEDOUT after 20 s).
    const mailer = createSmtpMailer(url, 'Открытый ДК <no-reply@opendk.test>', { sendDeadlineMs: 1_000 });
    try {
      const failure = await mailer.send({ to: 'resident@example.test', subject: 'Заявка принята', text: 'Текст' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(messagesReceived).toBe(1);
      expect(withheldAnswers).toHaveLength(1);
      expect(failure).toMatchObject({ name: 'AbortError', code: 'EABORT' });
      await waitFor(() => sessionsClosed >= 1, { description: 'the aborted session closed at the server' });
    } finally {
      await mailer.close();
    }
  });
});
