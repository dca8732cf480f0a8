import { Writable } from 'node:stream';
import { ApplicationFailure } from '@temporalio/common';
import { createLogger, withoutAddresses } from './logger';

function logged(write: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown> {
  const lines: string[] = [];
  write(createLogger('info', new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) })));
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

describe('errors in the logs', () => {
  it('when an error carries the data it was given (as nodemailer’s does), then the line keeps its class, message, codes and stack, with the address blanked', () => {
    // As nodemailer builds it: the server's reply appended to the message, the recipients as fields.
    const reply = '550 5.1.1 <ivanova@example.ru>: mailbox unavailable';
    const smtp = Object.assign(new Error(`Can’t send mail - all recipients were rejected: ${reply}`), { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: reply, rejected: ['ivanova@example.ru'] });
    const line = logged((logger) => logger.error({ err: smtp }, 'unhandled error'));
    expect(JSON.stringify(line)).not.toContain('ivanova');
    expect(line.err).toMatchObject({
      type: 'Error',
      message: 'Can’t send mail - all recipients were rejected: 550 5.1.1 <address>: mailbox unavailable',
      errorCode: 'EENVELOPE',
      responseCode: 550,
      command: 'RCPT TO',
      stack: expect.stringContaining('logger.test.ts'),
    });
  });

  it('when a connection to a host with several addresses is refused, then each attempt is kept (AggregateError)', () => {
    const refused = (port: number) => Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port });
    const line = logged((logger) => logger.error({ err: Object.assign(new AggregateError([refused(5432), refused(5433)], ''), { code: 'ECONNREFUSED' }) }, 'database down'));
    expect(line.err).toMatchObject({ type: 'AggregateError', errorCode: 'ECONNREFUSED', errors: [{ syscall: 'connect', address: '127.0.0.1', port: 5432 }, { port: 5433 }] });
  });

  it('when text quotes addresses in any of their forms, then each is blanked and the rest kept', () => {
    expect(withoutAddresses('550 <ivanova@example.ru>: no; "ivan ova"@example.ru, ivan@[10.0.0.1] and иван@почта.рф failed')).toBe('550 <address>: no; <address>, <address> and <address> failed');
  });

  it('when the Temporal SDK logs a failure with its cause, then the failure type and the cause are kept', () => {
    const failure = ApplicationFailure.create({ type: 'MAIL_NOT_SENT', message: 'The mail server did not take the message (EENVELOPE 550)', cause: Object.assign(new Error('socket closed'), { code: 'ECONNRESET', to: 'ivanova@example.ru' }) });
    const line = logged((logger) => logger.warn({ sdk: 'activity', error: failure }, 'Activity failed'));
    expect(line.error).toMatchObject({ failureType: 'MAIL_NOT_SENT', cause: { message: 'socket closed', errorCode: 'ECONNRESET' } });
    expect(JSON.stringify(line)).not.toContain('ivanova@example.ru');
  });

  it('when a sign-in code or an address sits in a logged object, then it is redacted', () => {
    const line = logged((logger) => logger.info({ request: { email: 'ivanova@example.ru', code: '123456' } }, 'sign-in'));
    expect(line.request).toEqual({ email: '[redacted]', code: '[redacted]' });
  });
});
