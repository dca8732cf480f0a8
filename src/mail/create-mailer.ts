import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Mailer, OutgoingMail } from './mailer';

export interface MailerConfig {
  smtpUrl?: string;
  from: string;
  outboxDir: string;
}

/**
 * SMTP when configured; otherwise every message is rendered to an `.eml` file in the outbox
 * folder, so a development machine needs no mail server and nothing is lost.
 */
export function createMailer(config: MailerConfig): Mailer {
  return config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.from) : createOutboxMailer(config.outboxDir, config.from);
}

function toNodemailer(from: string, mail: OutgoingMail): SendMailOptions {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    attachments: mail.attachments?.map((attachment) => ({ ...attachment })),
  };
}

/**
 * Bounded waits (nodemailer's own defaults allow minutes). Each of these is a wait for the next
 * byte, so a server that answers slowly but never falls silent for 20 s could still keep one
 * hand-over going for ever.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as const;

/**
 * The most one hand-over may take, however the server behaves: within the e-mail activity's
 * 30 s, and so also well within the ledger's claim (LEDGER_CLAIM_MS) and the outbox's lease.
 * A send still running when its claim ran out could hand the message over beside the retry
 * that took the claim next.
 */
export const SMTP_SEND_DEADLINE_MS = 25_000;

export function createSmtpMailer(smtpUrl: string, from: string, { sendDeadlineMs = SMTP_SEND_DEADLINE_MS } = {}): Mailer {
  const transport = nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS });
  return {
    async send(mail) {
      // Aborting closes this send's own connection (nodemailer opens one per message).
      const info = await transport.sendMail({ ...toNodemailer(from, mail), signal: AbortSignal.timeout(sendDeadlineMs) });
      return { messageId: info.messageId };
    },
    async close() {
      transport.close();
    },
  };
}

export function createOutboxMailer(outboxDir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transport.sendMail(toNodemailer(from, mail));
      // Sortable by time, unique without coordination.
      const file = path.join(outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
      // The folder is made when a write finds it missing (the first message, or after someone removed it).
      await fs.writeFile(file, info.message as Buffer).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        await fs.mkdir(outboxDir, { recursive: true });
        await fs.writeFile(file, info.message as Buffer);
      });
      return { messageId: info.messageId };
    },
    async close() {
      transport.close();
    },
  };
}
