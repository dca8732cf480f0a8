import { createSmtpMailer } from '../../src/mail/create-mailer';
import { answersHeldBack, startScriptedSmtpServer, type ScriptedSmtpServer } from '../support/smtp';
import { waitFor } from '../support/wait';

/**
 * A mail server that takes a whole message and then keeps its answer back: the hand-over must
 * still end at its deadline, not at the server's pace, so that it cannot outlast the ledger's
 * claim on the message (and run beside a retry that sends it again).
 */
describe('the SMTP hand-over deadline', () => {
  let server: ScriptedSmtpServer;
  const answers = answersHeldBack();
  let sessionsClosed = 0;

  beforeAll(async () => {
    server = await startScriptedSmtpServer({ onData: answers.onData, onClose: () => (sessionsClosed += 1) });
  });

  afterAll(async () => {
    answers.release();
    await server.close();
  });

  test('a send whose answer does not come in time fails as aborted and closes its connection', async () => {
    // A short deadline shows what the default one does, without the wait. The failure must be
    // the deadline's (EABORT), not the idle socket's (ETIMEDOUT after 20 s).
    const mailer = createSmtpMailer(server.url, 'Открытый ДК <no-reply@opendk.test>', { sendDeadlineMs: 1_000 });
    try {
      const failure = await mailer.send({ to: 'resident@example.test', subject: 'Заявка принята', text: 'Текст' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(answers.held).toBe(1);
      expect(failure).toMatchObject({ name: 'AbortError', code: 'EABORT' });
      await waitFor(() => sessionsClosed >= 1, { description: 'the aborted session closed at the server' });
    } finally {
      await mailer.close();
    }
  });
});
