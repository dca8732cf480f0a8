import { Counter, type Registry } from 'prom-client';

/** What the e-mail activity reports: one message delivered or failed, by kind. */
export interface EmailMetrics {
  sent(kind: string): void;
  failed(kind: string): void;
}

export function createEmailMetrics(registry: Registry): EmailMetrics {
  const sent = new Counter({ name: 'opendk_emails_sent_total', help: 'Booking e-mails handed to the mail server, by kind', labelNames: ['kind'] as const, registers: [registry] });
  const failed = new Counter({
    name: 'opendk_emails_failed_total',
    help: 'Booking e-mails the mail server did not take (the activity retries them), by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  return { sent: (kind) => sent.inc({ kind }), failed: (kind) => failed.inc({ kind }) };
}
