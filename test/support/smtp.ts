import { simpleParser, type ParsedMail } from 'mailparser';
import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { createSmtpMailer } from '../../src/mail/create-mailer';
import type { Mailer } from '../../src/mail/mailer';
import { waitFor } from './wait';

/**
 * A real SMTP server inside the test process. Mail goes over a real socket through nodemailer
 * and is parsed with mailparser, exactly as a mail client would see it.
 */
export interface TestInbox {
  url: string;
  mailer: Mailer;
  messages: ParsedMail[];
  /** Messages addressed to `address` (case-insensitive). */
  to(address: string): ParsedMail[];
  /** Polls until `count` messages for `address` arrived, then returns them. */
  waitForMessages(address: string, count?: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** The addresses a message's To header names, in lower case. */
export const recipientsOf = (mail: ParsedMail): string[] =>
  [mail.to ?? []].flat().flatMap((group) => group.value.map((address) => (address.address ?? '').toLowerCase()));

export async function startTestInbox(): Promise<TestInbox> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          messages.push(parsed);
          callback();
        })
        .catch(callback);
    },
  });
  // A client that dies mid-session (a killed worker) resets its socket; a real mail server
  // shrugs that off, and so must this one rather than crash the test process.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const url = `smtp://127.0.0.1:${port}`;
  const mailer = createSmtpMailer(url, 'Открытый ДК <no-reply@opendk.test>');

  const to = (address: string) => messages.filter((mail) => recipientsOf(mail).includes(address.toLowerCase()));

  return {
    url,
    mailer,
    messages,
    to,
    async waitForMessages(address, count = 1, timeoutMs = 10_000) {
      await waitFor(() => to(address).length >= count, { timeoutMs, description: `${count} message(s) to ${address}` });
      return to(address);
    },
    async close() {
      await mailer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A real SMTP server whose answers a test scripts: refusals, answers held back. */
export interface ScriptedSmtpServer {
  url: string;
  close(): Promise<void>;
}

export async function startScriptedSmtpServer(script: Pick<SMTPServerOptions, 'onMailFrom' | 'onRcptTo' | 'onData' | 'onClose'>): Promise<ScriptedSmtpServer> {
  const server = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false, ...script });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An SMTP address where nothing listens (a mail server that is away): connecting is refused at once. */
export async function unreachableSmtpUrl(): Promise<string> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  return `smtp://127.0.0.1:${port}`;
}

/** An `onData` that takes each message whole and holds its answer back until `release()`: a server slower than any deadline. */
export function answersHeldBack(): Required<Pick<SMTPServerOptions, 'onData'>> & { readonly held: number; release(): void } {
  const answers: (() => void)[] = [];
  return {
    onData(stream, _session, callback) {
      stream.on('end', () => answers.push(() => callback()));
      stream.resume();
    },
    get held() {
      return answers.length;
    },
    release() {
      for (const answer of answers.splice(0)) answer();
    },
  };
}
