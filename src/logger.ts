import pino, { type Logger } from 'pino';

/**
 * The root logger. Paths that may carry secrets or personal data are redacted here, once,
 * so no call site has to remember to.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      serializers: { err: loggedError, error: loggedError },
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'res.headers["set-cookie"]',
          '*.email',
          '*.code',
          '*.phone',
          '*.contactPhone',
          '*.contactName',
          '*.password',
          '*.token',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/**
 * E-mail addresses blanked (`<address>`): SMTP replies and the errors made of them quote the
 * recipient. Quoted local parts and bracketed domains ("ivan ova"@[10.0.0.1]) count too.
 */
export const withoutAddresses = (text: string) => text.replace(/<?(?:"[^"]*"|[^\s<>"'(),;:@]+)@(?:\[[^\]]*\]|[^\s<>"'(),;:]+)>?/g, '<address>');

/** Fields of Node's and nodemailer's errors that say what failed without saying to whom. */
const KEPT_FIELDS = ['responseCode', 'command', 'syscall', 'address', 'port', 'errno'] as const;

/**
 * An error as the logs keep it: its class, message, codes, stack, causes and the few fields in
 * KEPT_FIELDS, with addresses blanked. Libraries hang the data they were given on their errors
 * (nodemailer the recipients and the server's reply), and pino would print every enumerable
 * field. The code goes out as `errorCode`: the redaction of `*.code` is for sign-in codes, not
 * for `P1001`. Error-like objects (what another serializer made of an error) are treated alike.
 */
export function loggedError(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || typeof (value as { message?: unknown }).message !== 'string') return value;
  const error = value as Record<string, unknown> & { message: string };
  const { code, type, stack, cause, errors } = error;
  const name = value instanceof Error ? value.name : typeof type === 'string' ? type : 'Error';
  const deeper = depth < 5;
  return {
    type: name,
    message: withoutAddresses(error.message),
    ...(typeof code === 'string' || typeof code === 'number' ? { errorCode: code } : {}),
    // Temporal's ApplicationFailure: the failure type (e.g. MAIL_NOT_SENT) says what happened.
    ...(value instanceof Error && typeof type === 'string' ? { failureType: type } : {}),
    ...Object.fromEntries(KEPT_FIELDS.flatMap((field) => (typeof error[field] === 'string' || typeof error[field] === 'number' ? [[field, error[field]]] : []))),
    ...(typeof stack === 'string' ? { stack: withoutAddresses(stack) } : {}),
    ...(cause !== undefined && deeper ? { cause: loggedError(cause, depth + 1) } : {}),
    // AggregateError: Node's ECONNREFUSED for a host with several addresses says which in here.
    ...(Array.isArray(errors) && deeper ? { errors: errors.map((each) => loggedError(each, depth + 1)) } : {}),
  };
}

export type { Logger };
