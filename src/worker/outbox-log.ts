import { MailNotSentError } from '../../activities/email/ledger';
import type { Logger } from '../logger';

/**
 * A failed outbox send, logged without the error's message: SMTP replies quote addresses.
 * The row keeps the message (mail_outbox.last_error) for whoever may read the database.
 */
export function logOutboxError(logger: Logger) {
  return (error: unknown, context: { kind: string; attempts: number; final: boolean }) => {
    const name = error instanceof Error ? error.name : typeof error;
    // A database error's code (P1001, 57P01) names no one either.
    const code = error instanceof MailNotSentError ? error.summary : (error as { code?: unknown } | null)?.code;
    logger.warn({ ...context, error: name, ...(typeof code === 'string' ? { code } : {}) }, context.final ? 'outbox e-mail given up after its last attempt' : 'outbox e-mail failed, will retry');
  };
}
