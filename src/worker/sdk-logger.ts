import { DefaultLogger, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's log lines through our pino logger as JSON. Its INFO chatter (bundle
 * statistics, state changes) is kept out unless LOG_LEVEL asks for debug.
 */
export function sdkLogger(logger: Logger): DefaultLogger {
  const threshold: LogLevel = logger.isLevelEnabled('debug') ? 'DEBUG' : 'WARN';
  return new DefaultLogger(threshold, (entry) => {
    const { sdkComponent, ...meta } = entry.meta ?? {};
    logger[PINO_LEVEL[entry.level]]({ sdk: sdkComponent, ...meta }, entry.message);
  });
}
