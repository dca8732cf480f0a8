import { Writable } from 'node:stream';
import { ApplicationFailure } from '@temporalio/common';
import { createLogger } from './logger';

function logged(write: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown> {
  const lines: string[] = [];
  write(createLogger('info', new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) })));
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

describe('errors in the logs', () => {
  it('when an error carries the data it was given (as nodemailer’s does), then the line keeps its class, message, code and stack, and none of that data', () => {
    const smtp = Object.assign(new Error('Can’t send mail - all recipients were rejected'), {
      code: 'EENVELOPE',
      response: '550 5.1.1 <ivanova@example.ru>: mailbox unavailable',
      rejected: ['ivanova@example.ru'],
    });
    const line = logged((logger) => logger.error({ err: smtp }, 'unhandled error'));
    expect(JSON.stringify(line)).not.toContain('ivanova@example.ru');
    expect(line.err).toMatchObject({ type: 'Error', message: 'Can’t send mail - all recipients were rejected', errorCode: 'EENVELOPE', stack: expect.stringContaining('logger.test.ts') });
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
