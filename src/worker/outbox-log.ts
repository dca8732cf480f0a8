import type { Logger } from '../logger';

/**
 * A failed outbox send, logged without the error's message: SMTP replies quote addresses.
 * The row keeps the message (mail_outbox.last_error) for whoever may read the database.
 */
export function logOutboxError(logger: Logger) {
  return (error: unknown, context: { kind: string; attempts: number; final: boolean }) => {
    const name = error instanceof Error ? error.name : typeof error;
    const code = (error as { code?: unknown; responseCode?: unknown } | null)?.responseCode ?? (error as { code?: unknown } | null)?.code;
    logger.warn({ ...context, error: name, ...(code !== undefined ? { code: String(code) } : {}) }, context.final ? 'outbox e-mail given up after its last attempt' : 'outbox e-mail failed, will retry');
  };
}
