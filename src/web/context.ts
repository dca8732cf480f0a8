import type { Request, Response } from 'express';
import type { SessionUser } from '../auth/auth-service';
import type { ListPage, PageRequest } from '../bookings/readers';
import { UnknownListPosition, type ListCursor } from '../domain/list-cursor';
import { translator, type Lang, type Translate } from './i18n';

/** What every view needs about the request. */
export interface PageContext {
  lang: Lang;
  t: Translate;
  user?: SessionUser;
  csrfToken: string;
  /** The GET address of this page (see pagePath), for the language switch and sign-in returns. */
  path: string;
}

export const LANG_COOKIE = 'opendk_lang';

export function pageContext(req: Request, res: Response): PageContext {
  const lang: Lang = res.locals.lang === 'en' ? 'en' : 'ru';
  return { lang, t: translator(lang), user: req.user, csrfToken: String(res.locals.csrfToken ?? ''), path: pagePath(req) };
}

/** A local path to return to; anything else (other hosts, `//x`, `/\x`) becomes `/`. */
export function safeLocalPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length < 500 ? value : '/';
}

const BOOKING_FORM = /^\/(account|operator)\/bookings\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/./i;

/**
 * The address a GET shows this page at. A refused form is rendered again at its POST's address,
 * which no GET serves: links made from it (the language switch, "sign in and come back") point
 * to the page the form belongs to instead, with what of the form that page reads from its query.
 * `?lang=` is left out: carried along, it would undo the language switch it came back from.
 */
export function pagePath(req: Request): string {
  if (req.method === 'GET' || req.method === 'HEAD') {
    // An address no page has, such as `//host:port/` (another site's, and unreadable as a path),
    // is not linked back to.
    const asked = /^\/(?![/\\])/.test(req.originalUrl) ? req.originalUrl : '/';
    const url = new URL(asked, 'http://portal.invalid');
    if (!url.searchParams.has('lang')) return asked;
    url.searchParams.delete('lang');
    return `${url.pathname}${url.search}`;
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  const booking = BOOKING_FORM.exec(req.path);
  if (booking) return `/${booking[1]}/bookings/${booking[2].toLowerCase()}`;
  if (req.path === '/book' && /^\d{1,9}$/.test(field('room'))) return withQuery('/book', { room: field('room'), date: field('date') });
  if (req.path === '/signin') return withQuery('/signin', { next: safeLocalPath(field('next')) });
  if (req.path === '/signin/code') return withQuery('/signin/code', { next: safeLocalPath(field('next')) });
  if (req.path.startsWith('/admin/staff/')) return '/admin/staff';
  return '/';
}

function withQuery(path: string, query: Record<string, string>): string {
  const search = new URLSearchParams(Object.entries(query).filter(([, value]) => value !== '' && value.length <= 200)).toString();
  return search ? `${path}?${search}` : path;
}

/** The page of a list a link asks for (`?page=`, from 1); anything else is the first. */
function requestedPage(req: Request): number {
  const page = req.query.page;
  return typeof page === 'string' && /^[1-9]\d{0,3}$/.test(page) ? Number(page) : 1;
}

/** The last page of a list of `total` items, `pageSize` a page (1 for an empty list). */
export const lastPage = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize));

/** The position a "next" link carries (`?after=`), if it is one of this list's. */
function requestedPosition<Key extends readonly unknown[]>(req: Request, cursor: ListCursor<Key>): Key | undefined {
  const after = req.query.after;
  return typeof after === 'string' ? cursor.decode(after) : undefined;
}

/**
 * The page of a list at `path` that the request asks for, `pageSize` a page: the one right after
 * a position (`?after=`, what "next" links carry, so that items handled or added meanwhile shift
 * nothing), else by number (`?page=`). A page past the end (items were done or removed since the
 * link was made) redirects to the last one: undefined then.
 */
export async function listPageFor<Key extends readonly unknown[], List extends ListPage<unknown>>(
  req: Request,
  res: Response,
  path: string,
  pageSize: number,
  cursor: ListCursor<Key>,
  load: (range: PageRequest<Key>) => Promise<List>,
): Promise<List | undefined> {
  const after = requestedPosition(req, cursor);
  const page = requestedPage(req);
  // A position that names nothing (an entry gone since) counts as none, as a damaged one does.
  const byPosition = after ? await load({ after, limit: pageSize }).catch((error) => (error instanceof UnknownListPosition ? undefined : Promise.reject(error))) : undefined;
  const list = byPosition ?? (await load({ offset: (page - 1) * pageSize, limit: pageSize }));
  const last = lastPage(list.total, pageSize);
  const pastTheEnd = byPosition ? list.items.length === 0 && list.total > 0 : page > last;
  if (!pastTheEnd) return list;
  res.redirect(303, last === 1 ? path : `${path}?page=${last}`);
  return undefined;
}
