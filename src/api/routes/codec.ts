import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import express, { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AuthService, SessionUser } from '../../auth/auth-service';
import { PayloadCodecError } from '../../codec/aes-gcm-codec';
import { HttpProblem, problems } from '../problem';
import { sessionTokenOf } from '../session';
import { bilingual, parseRequest } from '../validate';

/**
 * The codec server of the Temporal Web UI and CLI (Temporal's "Codec Server" protocol):
 * `POST /codec/decode` and `POST /codec/encode`, each taking and answering
 * `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }` (proto3 JSON of Payloads).
 *
 * Only administrators may use it: it turns history back into residents' personal data. The
 * caller is identified by the session cookie (the UI sends it when "Include cross-origin
 * credentials" is on, and the UI is same-site with the API) or by `Authorization: Bearer
 * <session token>` (the CLI's `--codec-auth`). Browsers may call it from the Temporal UI's
 * origin only; every use is logged with the administrator's id, never with the data.
 */

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Browser origins allowed to call the codec server: the Temporal UI's. */
  allowedOrigins: string[];
}

/**
 * Base64 (standard or URL-safe) as protobufjs decodes it (`fromObject` throws on the rest, which
 * was a 500): whole groups of four, then an optional tail of two or three characters and padding.
 */
const base64 = z.string().regex(/^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2,3}={0,2})?$/, { message: bilingual('Ожидается строка base64', 'Expected a base64 string') });
/** Other Payload fields (e.g. externalPayloads) are kept: proto3 JSON allows them. */
const payloadJson = z.looseObject({ metadata: z.record(z.string(), base64).nullish(), data: base64.nullish() });
const codecBody = z.strictObject({ payloads: z.array(payloadJson).max(10_000) });

const ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization, Authorization-Extras';

export function codecRouter(auth: AuthService, options: CodecServerOptions & { secureCookies: boolean }): Router {
  const router = Router();
  router.use(corsForOrigins(options.allowedOrigins));
  // Who is asking first: an anonymous caller gets 401 before any of a body of up to 4 MB is read.
  router.use(requireAdministrator(auth, options.secureCookies));
  router.use(express.json({ limit: '4mb', strict: true }));

  for (const action of ['decode', 'encode'] as const) {
    router.post(`/${action}`, async (req, res) => {
      const body = parseRequest(codecBody, req.body, 'body');
      const input: Payload[] = body.payloads.map(payloadFromJson);
      const coded = action === 'decode' ? options.codec.decode(input) : options.codec.encode(input);
      const output = await coded.catch((error: unknown) => {
        throw codecProblem(error) ?? error;
      });
      req.log.info({ action, userId: req.user!.id, namespace: req.get('X-Namespace'), payloads: input.length }, `codec ${action}`);
      res.set('Cache-Control', 'no-store').json({ payloads: output.map(toJson) });
    });
  }
  router.all(['/decode', '/encode'], (_req, res) => {
    res.set('Allow', 'POST, OPTIONS');
    throw new HttpProblem(405, 'method-not-allowed', { ru: 'Метод не поддерживается', en: 'Method not allowed' });
  });
  return router;
}

/** A Payload from its proto3 JSON; a field protobufjs cannot read (e.g. `externalPayloads: "x"`) is a 400. */
function payloadFromJson(json: z.infer<typeof payloadJson>, index: number): Payload {
  try {
    return temporal.api.common.v1.Payload.fromObject(json);
  } catch (error) {
    throw problems.validation([
      { field: `body.payloads.${index}`, message: { ru: `Некорректный Payload: ${(error as Error).message}`, en: `Not a valid Payload: ${(error as Error).message}` } },
    ]);
  }
}

/** proto3 JSON of a Payload, always with `metadata` and `data` (the UI looks for both). */
function toJson(payload: Payload): Record<string, unknown> {
  return { metadata: {}, data: '', ...temporal.api.common.v1.Payload.fromObject(payload).toJSON() };
}

/**
 * CORS for the Temporal UI: its origin gets Access-Control-Allow-Origin with credentials and
 * the headers the UI sends; preflights are answered here. A browser request from any other
 * origin is refused outright, so a page elsewhere cannot make an administrator's browser
 * decode (or encode) anything.
 */
function corsForOrigins(allowedOrigins: string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    res.vary('Origin');
    const origin = req.get('Origin');
    if (origin === undefined) return next(); // not a browser: the CLI, curl
    if (!allowed.has(origin)) return next(originNotAllowed());
    res.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' });
    if (req.method !== 'OPTIONS') return next();
    res.set({
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      'Access-Control-Max-Age': '600',
    });
    res.status(204).end();
  };
}

function requireAdministrator(auth: AuthService, secureCookies: boolean): RequestHandler {
  return async (req, res, next) => {
    const user = await authenticate(auth, req, secureCookies);
    if (!user) {
      res.set('WWW-Authenticate', 'Bearer realm="open-dk codec"');
      return next(problems.unauthenticated());
    }
    if (user.role !== 'ADMIN') return next(problems.forbidden());
    req.user = user;
    next();
  };
}

/** A bearer token (the CLI), else the session cookie (the UI in a signed-in browser). */
async function authenticate(auth: AuthService, req: Request, secureCookies: boolean): Promise<SessionUser | undefined> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get('Authorization') ?? '')?.[1];
  const cookie = sessionTokenOf(req, secureCookies);
  for (const token of [bearer, cookie]) {
    const user = token ? await auth.resolveSession(token) : undefined;
    if (user) return user;
  }
  return undefined;
}

const originNotAllowed = () =>
  new HttpProblem(403, 'origin-not-allowed', { ru: 'Источник запроса не разрешён', en: 'Origin not allowed' }, {
    ru: 'Сервер кодека принимает запросы из браузера только со страниц Temporal UI.',
    en: 'The codec server accepts browser requests from the Temporal UI only.',
  });

/**
 * Why the codec server could not decode what it was given. Only here: the same error in a
 * booking route (a process whose PAYLOAD_KEYS lack a key another wrote with) is a
 * misconfiguration, a logged 500, and its key id is no business of a resident's.
 */
function codecProblem(error: unknown): HttpProblem | undefined {
  if (!(error instanceof PayloadCodecError)) return undefined;
  return error.failure === 'UNKNOWN_KEY'
    ? new HttpProblem(422, 'payload-key-unknown', { ru: 'Неизвестный ключ шифрования', en: 'Unknown encryption key' }, {
        ru: `Данные зашифрованы ключом «${error.keyId}», которого нет в PAYLOAD_KEYS.`,
        en: `The data is encrypted with key "${error.keyId}", which is not in PAYLOAD_KEYS.`,
      })
    : new HttpProblem(422, 'payload-not-decryptable', { ru: 'Данные не расшифровываются', en: 'Data cannot be decrypted' }, {
        ru: `Данные, зашифрованные ключом «${error.keyId}», изменены или зашифрованы другим ключом с тем же именем.`,
        en: `The data encrypted with key "${error.keyId}" was altered, or was encrypted with another key of that id.`,
      });
}
