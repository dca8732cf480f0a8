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

export type { Logger };
