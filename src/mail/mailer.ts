/** What activities and the sign-in service need from e-mail; built once per process. */
export interface MailAttachment {
  filename: string;
  content: string;
  contentType: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  /** Optional RFC 5322 Message-ID to send with, so a retried send keeps its identity. */
  messageId?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

/**
 * A failed hand-over in words that name no one: the error's code and the SMTP reply code
 * ("EENVELOPE 550"). Replies and nodemailer's fields (rejected, response) quote addresses.
 */
export function mailErrorSummary(error: unknown): string {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  return [typeof code === 'string' ? code : 'unknown', typeof responseCode === 'number' ? String(responseCode) : undefined].filter(Boolean).join(' ');
}
