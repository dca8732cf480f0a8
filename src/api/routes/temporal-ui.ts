import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { AuthService } from '../../auth/auth-service';
import { problems } from '../problem';
import { sessionTokenOf } from '../session';
import { RETRY_AFTER_SECONDS } from '../unavailable';

/**
 * The Temporal Web UI, served by the API at `path` (TEMPORAL_UI_PATH) to administrators only:
 * a streaming reverse proxy to a UI server started with that public path
 * (`temporal server start-dev --ui-public-path`, or the `temporalio/ui` image's
 * TEMPORAL_UI_PUBLIC_PATH).
 *
 * Why: the UI's page then has the site's origin, the same as the codec server's (`/codec`), so
 * the browser sends the administrator's session cookie with the UI's calls to the codec server
 * by default (fetch's `same-origin` credentials mode) and payloads show decrypted without any
 * setting in the UI.
 *
 * - Administrators (session cookie) are proxied; anyone else is refused before anything reaches
 *   the UI server: a page request falls through to the portal (which redirects to sign-in or
 *   renders its 403 page), any other request gets 401 / 403 problem+json.
 * - The site's own cookies (`opendk_*`: the session, the portal's CSRF cookie, the language)
 *   are not forwarded; the UI's (its `_csrf` cookie) are, and the UI's Set-Cookie paths are
 *   narrowed to `path`.
 * - The portal's Content-Security-Policy is not applied: the UI's page runs an inline script;
 *   the UI server sends its own security headers.
 * - An unreachable UI server is 503 problem+json with Retry-After, like the API's other outages.
 */

export interface TemporalUiProxyOptions {
  /** The UI server, e.g. `http://127.0.0.1:8233`; requests keep their full path (`path/…`). */
  upstream: string;
  /** Where the UI is served, e.g. `/admin/temporal` (the UI's public path). */
  path: string;
  /**
   * Page requests (Accept: text/html) of anyone but an administrator leave this router so that
   * the portal answers them (sign-in redirect, 403 page); without a portal they get problem+json.
   */
  pagesFallThrough?: boolean;
  /** Idle time on the upstream connection before the request fails (default 60 s). */
  timeoutMs?: number;
}

/** Headers of one connection, never forwarded (RFC 9110 §7.6.1), plus the ones we set ourselves. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);
/** The site's own cookies: the session, the portal's CSRF cookie, the language (src/api/session.ts names them). */
const SITE_COOKIE = /^(__Host-)?opendk_/;

export function temporalUiRouter(auth: AuthService, options: TemporalUiProxyOptions & { secureCookies: boolean }): Router {
  const target = new URL(options.upstream);
  const transport = target.protocol === 'https:' ? https : http;
  const router = Router();

  const gate: RequestHandler = async (req, _res, next) => {
    const token = sessionTokenOf(req, options.secureCookies);
    const user = token ? await auth.resolveSession(token) : undefined;
    if (user?.role === 'ADMIN') {
      req.user = user;
      return next();
    }
    if (options.pagesFallThrough && wantsPage(req)) return next('router');
    next(user ? problems.forbidden() : problems.unauthenticated());
  };

  const forward: RequestHandler = (req, res, next) => {
    const upstreamRequest = transport.request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: req.originalUrl,
      headers: requestHeaders(req, target.host),
      timeout: options.timeoutMs ?? 60_000,
    });
    upstreamRequest.on('timeout', () => upstreamRequest.destroy(new Error(`no answer from the Temporal UI at ${target.origin}`)));
    upstreamRequest.on('error', (error) => {
      if (res.headersSent) return res.destroy(error);
      req.log.warn({ err: error, upstream: target.origin }, 'Temporal UI unreachable');
      next(problems.unavailable(RETRY_AFTER_SECONDS));
    });
    upstreamRequest.on('response', (upstream) => {
      copyResponseHeaders(upstream, res, options.path);
      res.writeHead(upstream.statusCode ?? 502);
      upstream.on('error', (error) => res.destroy(error));
      upstream.pipe(res);
    });
    // The browser went away: stop the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) upstreamRequest.destroy();
    });
    req.pipe(upstreamRequest);
  };

  router.all('/{*rest}', gate, forward);
  return router;
}

/** A navigation or a page fetch, not the UI's API calls or a CLI. */
function wantsPage(req: Request): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && /\btext\/html\b/i.test(req.get('Accept') ?? '');
}

function requestHeaders(req: Request, upstreamHost: string): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  const connectionListed = listedInConnection(req.headers);
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionListed.has(name) || name.startsWith('x-forwarded-')) continue;
    headers[name] = value;
  }
  const cookie = withoutSiteCookies(req.headers.cookie);
  if (cookie) headers.cookie = cookie;
  else delete headers.cookie;
  headers.host = upstreamHost;
  // A body that came chunked goes on chunked: Node frames a GET's body only when told, and an
  // unframed one would be read by the UI server as a request of its own on the shared connection.
  if (req.headers['transfer-encoding'] !== undefined && req.headers['content-length'] === undefined) headers['transfer-encoding'] = 'chunked';
  headers['x-forwarded-for'] = req.ip ?? '';
  headers['x-forwarded-proto'] = req.protocol;
  if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
  return headers;
}

/** The Cookie header without the site's cookies; the UI's own (its `_csrf`) stay. */
function withoutSiteCookies(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const kept = header
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '' && !SITE_COOKIE.test(pair.split('=', 1)[0].trim()));
  return kept.length > 0 ? kept.join('; ') : undefined;
}

function copyResponseHeaders(upstream: IncomingMessage, res: Response, publicPath: string): void {
  const connectionListed = listedInConnection(upstream.headers);
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionListed.has(name)) continue;
    if (name === 'set-cookie') {
      res.setHeader(name, (value as string[]).filter((cookie) => !SITE_COOKIE.test(cookie.split('=', 1)[0].trim())).map((cookie) => narrowCookiePath(cookie, publicPath)));
      continue;
    }
    res.setHeader(name, value);
  }
  // Answers that only an administrator's session unlocks are no business of shared caches.
  if (!upstream.headers['cache-control']) res.setHeader('Cache-Control', 'private, no-cache');
}

/** The UI sets its `_csrf` cookie for `/`; under the proxy it belongs to the UI's path only. */
function narrowCookiePath(cookie: string, publicPath: string): string {
  return /;\s*path=/i.test(cookie) ? cookie.replace(/(;\s*path=)\/(?=;|$)/i, `$1${publicPath}`) : `${cookie}; Path=${publicPath}`;
}

function listedInConnection(headers: IncomingHttpHeaders): Set<string> {
  const connection = headers.connection;
  return new Set((typeof connection === 'string' ? connection : '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean));
}
