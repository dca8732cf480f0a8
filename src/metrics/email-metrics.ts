import { Counter, type Registry } from 'prom-client';

/** What the e-mail senders report (a booking's e-mails and the staff's): one message delivered or failed, by kind. */
export interface EmailMetrics {
  sent(kind: string): void;
  failed(kind: string): void;
}

export function createEmailMetrics(registry: Registry): EmailMetrics {
  const sent = new Counter({ name: 'opendk_emails_sent_total', help: 'E-mails handed to the mail server (a booking\'s, or an operator\'s appointment), by kind', labelNames: ['kind'] as const, registers: [registry] });
  const failed = new Counter({
    name: 'opendk_emails_failed_total',
    help: 'E-mails the mail server did not take (the activity or the outbox retries them), by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  return { sent: (kind) => sent.inc({ kind }), failed: (kind) => failed.inc({ kind }) };
}
