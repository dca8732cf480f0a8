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
 * An error as the logs keep it: its class, message, codes, stack and causes, and none of its other
 * fields. Libraries hang the data they were given on their errors (nodemailer the recipients and
 * the server's reply, which quote addresses), and pino would print every enumerable field. The
 * code goes out as `errorCode`: the redaction of `*.code` is for sign-in codes, not `P1001`.
 */
export function loggedError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value;
  const { code, type } = value as { code?: unknown; type?: unknown };
  return {
    type: value.name,
    message: value.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { errorCode: code } : {}),
    // Temporal's ApplicationFailure: the failure type (e.g. MAIL_NOT_SENT) says what happened.
    ...(typeof type === 'string' ? { failureType: type } : {}),
    stack: value.stack,
    ...(value.cause !== undefined && depth < 5 ? { cause: loggedError(value.cause, depth + 1) } : {}),
  };
}

export type { Logger };
