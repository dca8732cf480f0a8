import express, { type Express } from 'express';
import pinoHttp from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { AuthService } from '../auth/auth-service';
import { loggedError, type Logger } from '../logger';
import { httpMetrics, type Registry } from '../metrics';
import type { CatalogService } from '../venues/catalog-service';
import type { HealthProbe } from './health';
import { notFoundHandler, problemMiddleware, problems, type ErrorTranslator } from './problem';
import { authRouter, translateAuthError } from './routes/auth';
import { catalogRouter } from './routes/catalog';
import { codecRouter, type CodecServerOptions } from './routes/codec';
import { healthRouter } from './routes/health';
import { temporalUiRouter, type TemporalUiProxyOptions } from './routes/temporal-ui';
import { isCrossSiteWrite } from './cross-site';
import { loadSession } from './session';
import { translateUnavailable } from './unavailable';
import { translateUnknownPosition } from './validate';

export interface AppDeps {
  logger: Logger;
  auth: AuthService;
  catalog: CatalogService;
  health: HealthProbe;
  secureCookies: boolean;
  /** PUBLIC_URL's host: a change sent from it is the site's own, whatever Host a proxy hands on. */
  publicHost?: string;
  /** Extra routers mounted under /api by later features, with their error translators. */
  extensions?: { router: express.Router; translateError?: ErrorTranslator }[];
  /** The Temporal UI's codec server at /codec (outside /api: the UI appends /decode to its endpoint). */
  codecServer?: CodecServerOptions;
  /** The Temporal UI proxied to administrators at its `path` (before the portal: it is not a portal page). */
  temporalUi?: Omit<TemporalUiProxyOptions, 'pagesFallThrough'>;
  /** The server-rendered portal (src/web), mounted at `/` after /api: it renders its own HTML errors. */
  web?: express.Router;
  /** How many proxies to trust for the client address (rate limits): 0 when exposed directly. */
  trustProxy?: number;
  /** Request counts and latencies by route go here (served on the metrics port, src/metrics). */
  metrics?: Registry;
}

/** The HTTP application: no listening, no process concerns, so tests mount it on port 0. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? 0);
  if (deps.metrics) app.use(httpMetrics(deps.metrics));
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // The URL may hold search text; the method, route and status are enough to operate.
      // The status is enough of the response: its headers may carry personal data (cookies).
      // Errors as the root logger keeps them (loggedError); unwrapped, or pino-http would hand
      // its own serialization of the error to ours, fields and all.
      wrapSerializers: false,
      serializers: { req: (req) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] }), res: (res) => ({ statusCode: res.statusCode }), err: loggedError },
    }),
  );

  const api = express.Router();
  // Answers carry people's data and live state (a slot free a second ago): no cache keeps them.
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use((req, _res, next) => next(isCrossSiteWrite(req, deps.publicHost) ? problems.crossSite() : undefined));
  api.use(express.json({ limit: '64kb', strict: true }));
  // Before the session: with PostgreSQL down, reading a caller's session would fail first and
  // hide the report of which dependency is down.
  api.use(healthRouter(deps.health));
  api.use(loadSession(deps.auth, deps.secureCookies));
  api.use(catalogRouter(deps.catalog));
  api.use(authRouter(deps.auth, { secureCookies: deps.secureCookies }));
  for (const extension of deps.extensions ?? []) api.use(extension.router);
  api.use(notFoundHandler);
  app.use('/api', api);
  if (deps.codecServer) app.use('/codec', codecRouter(deps.auth, { ...deps.codecServer, secureCookies: deps.secureCookies }));
  if (deps.temporalUi) app.use(deps.temporalUi.path, temporalUiRouter(deps.auth, { ...deps.temporalUi, pagesFallThrough: Boolean(deps.web), secureCookies: deps.secureCookies }));
  if (deps.web) app.use(deps.web);

  app.use(notFoundHandler);
  const translators = [translateUnavailable, translateAuthError, translateUnknownPosition, ...(deps.extensions ?? []).flatMap((extension) => (extension.translateError ? [extension.translateError] : []))];
  app.use(problemMiddleware(translators, (error, req) => req.log.error({ err: error }, 'unhandled error')));
  return app;
}
