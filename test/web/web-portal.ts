import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { createApp } from '../../src/api/app';
import { bookingExtensions } from '../../src/api/compose';
import type { HealthProbe } from '../../src/api/health';
import { createAuthService, defaultAuthPolicy, type AuthPolicy, type AuthService } from '../../src/auth/auth-service';
import type { Mailer } from '../../src/mail/mailer';
import { createLogger } from '../../src/logger';
import { createCatalogService } from '../../src/venues/catalog-service';
import { webRouter } from '../../src/web/router';
import { startBookingHarness, type BookingHarness } from '../bookings/harness';
import type { TestInbox } from '../support/smtp';
import { TEST_NAMESPACE } from '../support/temporal';
import { waitFor } from '../support/wait';

/**
 * The portal over plain HTTP, the way a browser without JavaScript uses it: the real app on
 * port 0 over the booking harness (worker, Temporal, PostgreSQL, SMTP), and a client that keeps
 * cookies, follows redirects and submits the forms a page shows.
 */
export interface WebPortal {
  harness: BookingHarness;
  auth: AuthService;
  baseUrl: string;
  /** A new browser: its own cookies, nobody signed in. */
  browser(): WebBrowser;
  /** A new browser signed in as `email` through the sign-in pages (code from the test inbox). */
  signedIn(email: string): Promise<WebBrowser>;
  close(): Promise<void>;
}

/** Where the portal's links to workflows point (no UI runs there). */
export const TEMPORAL_UI_URL = 'http://temporal-ui.test:8233';

const alwaysUp: HealthProbe = { check: async () => ({ database: 'up', temporal: 'up' }) };

export interface WebPortalOptions {
  temporal?: (client: Client) => Client;
  /** The sign-in codes' mailer, given the test inbox's. */
  signInMailer?: (inbox: Mailer) => Mailer;
  authPolicy?: Partial<AuthPolicy>;
}

export async function startWebPortal(label: string, options: WebPortalOptions = {}): Promise<WebPortal> {
  const harness = await startBookingHarness(label);
  const mailer = options.signInMailer ? options.signInMailer(harness.inbox.mailer) : harness.inbox.mailer;
  const auth = createAuthService({ prisma: harness.prisma, mailer, policy: { ...defaultAuthPolicy, ...options.authPolicy } });
  const catalog = createCatalogService(harness.prisma);
  const plain = harness.deps();
  const bookings = { ...plain, temporal: options.temporal ? options.temporal(plain.temporal) : plain.temporal };
  const app = createApp({
    logger: createLogger('silent'),
    auth,
    catalog,
    health: alwaysUp,
    secureCookies: false,
    extensions: bookingExtensions(bookings),
    web: webRouter({ auth, catalog, bookings, secureCookies: false, temporalUi: { url: TEMPORAL_UI_URL, namespace: TEST_NAMESPACE } }),
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const portal: WebPortal = {
    harness,
    auth,
    baseUrl,
    browser: () => new WebBrowser(baseUrl),
    async signedIn(email) {
      const browser = new WebBrowser(baseUrl);
      const codes = signInCodes(harness.inbox, email).length;
      const codePage = await browser.submit(await browser.get('/signin'), 'Получить код', { email });
      const home = await browser.submit(codePage, 'Войти', { code: await nextSignInCode(harness.inbox, email, codes) });
      if (home.status !== 200 || !browser.cookie('opendk_session')) throw new Error(`sign-in of ${email} failed: ${home.status} ${home.url}`);
      return browser;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await harness.close();
    },
  };
  return portal;
}

/**
 * A portal for the test file: started in beforeAll, closed in afterAll. What it returns reads
 * through to that portal, so tests use it as they would the portal itself. `options` may be a
 * function, for options made from what another beforeAll started.
 */
export function useWebPortal(label: string, options: WebPortalOptions | (() => WebPortalOptions) = {}): WebPortal {
  let started: WebPortal | undefined;
  beforeAll(async () => {
    started = await startWebPortal(label, typeof options === 'function' ? options() : options);
  }, 120_000);
  afterAll(async () => {
    await started?.close();
  });
  const current = () => {
    if (!started) throw new Error(`useWebPortal('${label}'): the portal starts in beforeAll`);
    return started;
  };
  return {
    get harness() {
      return current().harness;
    },
    get auth() {
      return current().auth;
    },
    get baseUrl() {
      return current().baseUrl;
    },
    browser: () => current().browser(),
    signedIn: (email) => current().signedIn(email),
    close: () => current().close(),
  };
}

/** The sign-in codes e-mailed to `email` so far (the booking's own e-mails go to the same inbox). */
export function signInCodes(inbox: TestInbox, email: string): string[] {
  return inbox.to(email).flatMap((mail) => (mail.subject?.startsWith('Код для входа ') ? (/\b(\d{6})\b/.exec(mail.text ?? '')?.[1] ?? []) : []));
}

/** The code e-mailed after the first `seen` ones. */
export function nextSignInCode(inbox: TestInbox, email: string, seen: number): Promise<string> {
  return waitFor(() => signInCodes(inbox, email)[seen], { description: `sign-in code no. ${seen + 1} to ${email}` });
}

export interface WebPage {
  status: number;
  /** Path and query of the page finally shown. */
  url: string;
  /** The Location of each redirect on the way, in order. */
  redirects: string[];
  markup: string;
}

export interface WebForm {
  method: string;
  action: string;
  fields: [string, string][];
  buttons: string[];
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
export const unescapeHtml = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]);
const attribute = (attrs: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(attrs);
  return match ? unescapeHtml(match[1]) : undefined;
};
const flag = (attrs: string, name: string) => new RegExp(`\\s${name}(?=[\\s>]|$)`).test(attrs);

/** The page's text without tags, entities resolved and whitespace folded. */
export function pageText(markup: string): string {
  return unescapeHtml(markup.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** The forms on a page with what a browser would send from each (our own markup, so a few patterns do). */
export function formsOf(markup: string): WebForm[] {
  return [...markup.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, attrs, inner]) => {
    const fields: [string, string][] = [];
    for (const [, input] of inner.matchAll(/<input\b([^>]*)>/g)) {
      const name = attribute(input, 'name');
      const type = attribute(input, 'type') ?? 'text';
      if (!name || ((type === 'checkbox' || type === 'radio') && !flag(input, 'checked'))) continue;
      fields.push([name, attribute(input, 'value') ?? '']);
    }
    for (const [, textareaAttrs, text] of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      fields.push([attribute(textareaAttrs, 'name') ?? '', unescapeHtml(text)]);
    }
    for (const [, selectAttrs, options] of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const all = [...options.matchAll(/<option\b([^>]*)>/g)].map(([, optionAttrs]) => optionAttrs);
      const chosen = all.find((optionAttrs) => flag(optionAttrs, 'selected')) ?? all[0];
      if (chosen !== undefined) fields.push([attribute(selectAttrs, 'name') ?? '', attribute(chosen, 'value') ?? '']);
    }
    const buttons = [...inner.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/g)].map(([, label]) => pageText(label));
    return { method: attribute(attrs, 'method') ?? 'get', action: attribute(attrs, 'action') ?? '', fields, buttons };
  });
}

/** The form whose button reads `button`; throws when the page has none (the person could not click it). */
export function formWithButton(page: WebPage, button: string): WebForm {
  const form = formsOf(page.markup).find((candidate) => candidate.buttons.includes(button));
  if (!form) throw new Error(`no "${button}" button on ${page.url} (${page.status}): ${pageText(page.markup).slice(0, 600)}`);
  return form;
}

/** The value a form sends for `name`, or undefined. */
export const fieldOf = (form: WebForm, name: string) => form.fields.find(([field]) => field === name)?.[1];

/** The header's language switch on a page. */
export function languageLink(page: WebPage): string {
  const href = /<a class="lang" href="([^"]+)"/.exec(page.markup)?.[1];
  if (!href) throw new Error(`no language switch on ${page.url}`);
  return unescapeHtml(href);
}

/** Cookies, redirects and forms, as a browser without JavaScript handles them. */
export class WebBrowser {
  private readonly cookies = new Map<string, string>();

  /** `headers`: what the browser adds to every request, e.g. where a form comes from (Sec-Fetch-Site, Origin). */
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string | undefined): void {
    if (value === undefined) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  /** A copy sharing nothing from now on: another tab that goes its own way (e.g. a second device). */
  fork(headers: Record<string, string> = this.headers): WebBrowser {
    const copy = new WebBrowser(this.baseUrl, headers);
    for (const [name, value] of this.cookies) copy.setCookie(name, value);
    return copy;
  }

  get(path: string): Promise<WebPage> {
    return this.request('GET', path);
  }

  post(path: string, fields: [string, string][]): Promise<WebPage> {
    return this.request('POST', path, new URLSearchParams(fields));
  }

  /** Clicks `button` on `page`, after filling `changes` in (a name given twice replaces every value of it). */
  submit(page: WebPage, button: string, changes: Record<string, string> = {}): Promise<WebPage> {
    const form = formWithButton(page, button);
    const fields = form.fields.filter(([name]) => !(name in changes));
    for (const [name, value] of Object.entries(changes)) fields.push([name, value]);
    if (form.method.toLowerCase() === 'get') return this.get(`${form.action}?${new URLSearchParams(fields)}`);
    return this.post(form.action, fields);
  }

  private async request(method: string, path: string, body?: URLSearchParams): Promise<WebPage> {
    const redirects: string[] = [];
    let current = path;
    let response = await this.send(method, current, body);
    while (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location') ?? '/';
      redirects.push(location);
      if (redirects.length > 5) throw new Error(`too many redirects from ${path}: ${redirects.join(' → ')}`);
      current = location;
      response = await this.send('GET', current);
    }
    return { status: response.status, url: current, redirects, markup: await response.text() };
  }

  private async send(method: string, path: string, body?: URLSearchParams): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: { ...this.headers, ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair.split('=');
      const expired = attributes.some((item) => /^\s*expires=Thu, 01 Jan 1970/i.test(item) || /^\s*max-age=0$/i.test(item));
      this.setCookie(name.trim(), expired ? undefined : value.join('='));
    }
    return response;
  }
}
