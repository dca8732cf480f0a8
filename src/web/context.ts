import type { Request, Response } from 'express';
import type { SessionUser } from '../auth/auth-service';
import { translator, type Lang, type Translate } from './i18n';

/** What every view needs about the request. */
export interface PageContext {
  lang: Lang;
  t: Translate;
  user?: SessionUser;
  csrfToken: string;
  /** Path and query of this page, for the language switch and sign-in returns. */
  path: string;
}

export const LANG_COOKIE = 'opendk_lang';

export function pageContext(req: Request, res: Response): PageContext {
  const lang: Lang = res.locals.lang === 'en' ? 'en' : 'ru';
  return { lang, t: translator(lang), user: req.user, csrfToken: String(res.locals.csrfToken ?? ''), path: req.originalUrl };
}

/** A local path to return to; anything else (other hosts, `//x`, `/\x`) becomes `/`. */
export function safeLocalPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length < 500 ? value : '/';
}
