import path from 'node:path';
import { z } from 'zod';
import { isEmailAddress, normalizeEmail } from './domain/email';
import { parsePayloadKeys, type PayloadKey } from './codec/keys';

/**
 * The one place that reads the environment. Parsed once at start; a missing or malformed
 * value stops start-up with a message that names the variable (never its value, which may
 * be a secret).
 */

const projectRoot = path.resolve(__dirname, '..');

/** Where the API serves the Temporal UI it proxies (TEMPORAL_UI_UPSTREAM): the UI must run with this public path. */
export const TEMPORAL_UI_PATH = '/admin/temporal';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const port = (fallback: number) => z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(fallback));
const flag = z.preprocess(
  emptyToUndefined,
  z.enum(['true', 'false', '1', '0']).default('false').transform((value) => value === 'true' || value === '1'),
);

const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'test', 'production']).default('development')),
  PORT: port(3000),
  PUBLIC_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  TRUST_PROXY_HOPS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(10).default(0)),
  DATA_DIR: optionalString,
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),

  DATABASE_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  EMBEDDED_PG_PORT: port(5488),

  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.preprocess(emptyToUndefined, z.string().default('default')),
  TEMPORAL_TASK_QUEUE: z.preprocess(emptyToUndefined, z.string().default('open-dk-bookings')),
  TEMPORAL_TLS: flag,
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_CLI: optionalString,
  TEMPORAL_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  TEMPORAL_UI_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  TEMPORAL_UI_UPSTREAM: z.preprocess(emptyToUndefined, z.url().optional()),

  SMTP_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  MAIL_FROM: z.preprocess(emptyToUndefined, z.string().default('Открытый ДК <no-reply@opendk.test>')),

  PAYLOAD_KEYS: optionalString,

  METRICS_HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  METRICS_PORT: port(9464),
  METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16).optional()),
  TEMPORAL_SDK_METRICS_PORT: port(9465),
  WORKFLOW_BUNDLE_PATH: optionalString,

  /** The demo accounts (admin@opendk.test and two operators): on by default except in production. */
  SEED_DEMO_STAFF: z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0']).optional()),
  /** Administrators to create (or promote) at set-up: comma-separated addresses. */
  ADMIN_EMAILS: z.preprocess(emptyToUndefined, z.string().optional()),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  projectRoot: string;
  dataDir: string;
  logLevel: Env['LOG_LEVEL'];
  http: { port: number; publicUrl: string; trustProxyHops: number };
  database: { url?: string; embeddedPort: number };
  temporal: {
    /** Unset: the development server is started locally. */
    address?: string;
    namespace: string;
    taskQueue: string;
    tls?: { certPath?: string; keyPath?: string; serverName?: string };
    apiKey?: string;
    cliPath?: string;
    devServerPort: number;
    uiPort: number;
    /** Where links to the Temporal UI point. */
    uiUrl: string;
    /**
     * From TEMPORAL_UI_UPSTREAM: the API serves the Temporal UI at TEMPORAL_UI_PATH to administrators,
     * proxying to this server (run with `--ui-public-path` / TEMPORAL_UI_PUBLIC_PATH set to that path).
     */
    uiProxy?: { upstream: string };
  };
  mail: { smtpUrl?: string; from: string; outboxDir: string };
  /** Who the seed makes staff: the demo accounts or not, and administrators by address. */
  staff: { demoAccounts: boolean; adminEmails: string[] };
  /** Encryption of workflow payloads (src/codec). */
  codec: {
    /** From PAYLOAD_KEYS; the first encrypts, all decrypt. */
    keys?: PayloadKey[];
    /** Outside production, without PAYLOAD_KEYS: the key file generated under dataDir. */
    devKeyFile?: string;
    /** The Temporal UI's origins, the only ones allowed to call /codec from a browser. */
    uiOrigins: string[];
  };
  /** `/metrics` of the API and the worker (src/metrics): an internal port, never the public one. */
  metrics: {
    host: string;
    port: number;
    /** When set, scrapes must send `Authorization: Bearer <token>`. */
    token?: string;
    /** Loopback port of the Temporal SDK's own Prometheus exporter (worker), merged into its /metrics. */
    sdkPort: number;
  };
  worker: {
    /** A workflow bundle built ahead (`npm run build:workflows`, the Docker image); unset: bundled at start. */
    bundlePath?: string;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The session cookie is Secure only when PUBLIC_URL is https: in production the address must be
 * given, and be https unless it is this machine (a browser keeps a cookie from plain
 * http://localhost to itself).
 */
function productionAddressProblems(publicUrl: string | undefined): string[] {
  if (!publicUrl) return ['PUBLIC_URL must be set in production: the https address people open (the session cookie is Secure then)'];
  const url = new URL(publicUrl);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !loopback) return [`PUBLIC_URL must be https in production (${url.origin} would send the session cookie in clear)`];
  return [];
}

/** nodemailer reads these from the URL's query, over what the code passes. */
const SMTP_LOGGING_OPTIONS = ['debug', 'logger', 'transactionLog'];

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data;
  const problems: string[] = [];
  if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
    problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together');
  }
  const payloadKeys = env.PAYLOAD_KEYS === undefined ? undefined : parsePayloadKeys(env.PAYLOAD_KEYS);
  if (payloadKeys) problems.push(...payloadKeys.problems);
  else if (env.NODE_ENV === 'production') {
    problems.push('PAYLOAD_KEYS must be set in production: comma-separated id:base64key entries of 32-byte keys, the first one encrypts');
  }
  if (env.NODE_ENV === 'production') problems.push(...productionAddressProblems(env.PUBLIC_URL));
  const listed = (env.ADMIN_EMAILS ?? '').split(',').map(normalizeEmail);
  // By position, not by value: a mistyped address is still someone's, and this message is logged.
  listed.forEach((email, index) => {
    if (email && !isEmailAddress(email)) problems.push(`ADMIN_EMAILS: entry ${index + 1} is not an e-mail address`);
  });
  const adminEmails = listed.filter(Boolean);
  const smtpLogging = env.SMTP_URL ? SMTP_LOGGING_OPTIONS.filter((key) => new URL(env.SMTP_URL!).searchParams.has(key)) : [];
  if (smtpLogging.length > 0) problems.push(`SMTP_URL: ${smtpLogging.join(', ')} would log every SMTP conversation (addresses, sign-in codes); leave them out`);
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(projectRoot, env.DATA_DIR ?? '.data');
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  // The UI on its own address (TEMPORAL_UI_URL, or the dev server's port), and the UI the API proxies, if any.
  const directUiUrl = env.TEMPORAL_UI_URL ?? `http://localhost:${env.TEMPORAL_UI_PORT}`;
  const proxiedUiUrl = env.TEMPORAL_UI_UPSTREAM ? `${publicUrl.replace(/\/$/, '')}${TEMPORAL_UI_PATH}` : undefined;
  const useTls = env.TEMPORAL_TLS || Boolean(env.TEMPORAL_TLS_CERT_PATH) || Boolean(env.TEMPORAL_API_KEY);
  return {
    env: env.NODE_ENV,
    projectRoot,
    dataDir,
    logLevel: env.LOG_LEVEL,
    http: { port: env.PORT, publicUrl, trustProxyHops: env.TRUST_PROXY_HOPS },
    database: { url: env.DATABASE_URL, embeddedPort: env.EMBEDDED_PG_PORT },
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      tls: useTls
        ? { certPath: env.TEMPORAL_TLS_CERT_PATH, keyPath: env.TEMPORAL_TLS_KEY_PATH, serverName: env.TEMPORAL_TLS_SERVER_NAME }
        : undefined,
      apiKey: env.TEMPORAL_API_KEY,
      cliPath: env.TEMPORAL_CLI,
      devServerPort: env.TEMPORAL_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
      // Administrators reach the UI through the API when it proxies one (no codec setting needed there).
      uiUrl: proxiedUiUrl ?? directUiUrl,
      uiProxy: env.TEMPORAL_UI_UPSTREAM ? { upstream: env.TEMPORAL_UI_UPSTREAM } : undefined,
    },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, outboxDir: path.join(dataDir, 'mail') },
    staff: { demoAccounts: env.SEED_DEMO_STAFF === undefined ? env.NODE_ENV !== 'production' : env.SEED_DEMO_STAFF === 'true' || env.SEED_DEMO_STAFF === '1', adminEmails },
    codec: {
      keys: payloadKeys?.keys,
      devKeyFile: payloadKeys || env.NODE_ENV === 'production' ? undefined : path.join(dataDir, 'payload-keys'),
      uiOrigins: [...new Set([directUiUrl, proxiedUiUrl].flatMap((url) => (url ? [new URL(url).origin] : [])))],
    },
    metrics: { host: env.METRICS_HOST, port: env.METRICS_PORT, token: env.METRICS_TOKEN, sdkPort: env.TEMPORAL_SDK_METRICS_PORT },
    worker: { bundlePath: env.WORKFLOW_BUNDLE_PATH ? path.resolve(projectRoot, env.WORKFLOW_BUNDLE_PATH) : undefined },
  };
}
