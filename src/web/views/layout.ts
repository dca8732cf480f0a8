import { randomUUID } from 'node:crypto';
import type { ListPage } from '../../bookings/readers';
import type { PageContext } from '../context';
import { html, type HtmlValue, type SafeHtml } from '../html';
import { ACTION_KEY_FIELD } from '../form-text';
import { CSRF_FIELD } from '../security';

export interface FormError {
  /** The form field's name; its input has id `f-<name>`. */
  field: string;
  message: string;
}

export type FormValues = Record<string, string | string[] | undefined>;

export const fieldId = (name: string) => `f-${name}`;

function languageSwitch(ctx: PageContext): SafeHtml {
  const to = ctx.lang === 'ru' ? 'en' : 'ru';
  const href = `/lang/${to}?back=${encodeURIComponent(ctx.path)}`;
  return html`<a class="lang" href="${href}" lang="${to}" hreflang="${to}" aria-label="${ctx.t('lang.switchLabel')}">${ctx.t('lang.switch')}</a>`;
}

function navigation(ctx: PageContext): SafeHtml {
  const { t, user } = ctx;
  const role = user?.role;
  const items: [href: string, label: string][] = [
    ['/', t('nav.catalog')],
    // Staff too: a resident appointed later keeps the applications they made.
    ...(role ? [['/account', t('nav.account')] as [string, string]] : []),
    ...(role === 'OPERATOR' || role === 'ADMIN' ? [['/operator', t('nav.operator')] as [string, string]] : []),
    ...(role === 'ADMIN' ? [['/admin', t('nav.admin')], ['/admin/staff', t('nav.staff')]] as [string, string][] : []),
  ];
  const under = (href: string) =>
    href === '/' ? ctx.path === '/' || ctx.path.startsWith('/?') || ctx.path.startsWith('/venues') : ctx.path === href || ctx.path.startsWith(`${href}/`) || ctx.path.startsWith(`${href}?`);
  // The deepest item the page is under (/admin/staff, not /admin, for the staff page).
  const current = items.map(([href]) => href).filter(under).sort((a, b) => b.length - a.length)[0];
  return html`<nav aria-label="${t('nav.label')}"><ul class="nav">
    ${items.map(([href, label]) => html`<li><a href="${href}"${href === current ? html` aria-current="page"` : ''}>${label}</a></li>`)}
  </ul></nav>`;
}

function account(ctx: PageContext): SafeHtml {
  if (!ctx.user) return html`<a class="button button--light" href="/signin?next=${encodeURIComponent(ctx.path)}">${ctx.t('nav.signin')}</a>`;
  return html`<form method="post" action="/signout" class="signout">
    <span class="who">${ctx.t('nav.signedInAs', { email: ctx.user.email })}</span>
    ${csrfInput(ctx)}<button type="submit" class="button button--light">${ctx.t('nav.signout')}</button>
  </form>`;
}

/** The page shell: skip link, header with navigation, main, footer. */
export function page(ctx: PageContext, options: { title: string; body: HtmlValue; scripts?: boolean }): string {
  const { t } = ctx;
  return `<!doctype html>${html`<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} — ${t('site.name')}</title>
<link rel="stylesheet" href="/static/site.css">
${options.scripts !== false && html`<script src="/static/site.js" defer></script>`}
</head>
<body>
<a class="skip-link" href="#main">${t('skip')}</a>
<header class="site-header">
  <div class="wrap header-row">
    <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">ДК</span><span><span class="brand-name">${t('site.name')}</span><span class="brand-tagline">${t('site.tagline')}</span></span></a>
    <div class="header-tools">${languageSwitch(ctx)}${account(ctx)}</div>
  </div>
  <div class="wrap">${navigation(ctx)}</div>
</header>
<main id="main" tabindex="-1" class="wrap">
${options.body}
</main>
<footer class="site-footer"><div class="wrap"><p>${t('footer.text')}</p></div></footer>
</body>
</html>`}`;
}

export const csrfInput = (ctx: PageContext) => html`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrfToken}">`;

/**
 * An action form's Idempotency-Key: pressed again after its answer was lost (a timeout, a
 * refreshed POST), the action gets its first outcome instead of "already done". A form shown
 * again after a refusal keeps the key it was sent with.
 */
export const actionKeyInput = (values: FormValues) => html`<input type="hidden" name="${ACTION_KEY_FIELD}" value="${typeof values[ACTION_KEY_FIELD] === 'string' ? values[ACTION_KEY_FIELD] : randomUUID()}">`;

/** The error summary at the top of a form: focused on load by the script, each error links to its field. */
export function errorSummary(ctx: PageContext, errors: FormError[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" data-error-summary>
    <h2 id="error-summary-title">${ctx.t('form.errorSummary')}</h2>
    <ul>${errors.map((error) => html`<li><a href="#${fieldId(error.field)}">${error.message}</a></li>`)}</ul>
  </div>`;
}

/** Links to the neighbouring pages of a list, when it has more than one; `nextLink` instead of the next page's number, where the list gives one. */
export function pager(ctx: PageContext, current: number, pages: number, link: (page: number) => string, nextLink = link(current + 1)): SafeHtml | '' {
  const { t } = ctx;
  if (pages <= 1) return '';
  return html`<nav class="pager" aria-label="${t('common.pagination')}">
      ${current > 1 ? html`<a class="button button--light" rel="prev" href="${link(current - 1)}">← ${t('common.prev')}</a>` : ''}
      <span>${t('common.page', { page: current, pages })}</span>
      ${current < pages ? html`<a class="button button--light" rel="next" href="${nextLink}">${t('common.next')} →</a>` : ''}
    </nav>`;
}

/**
 * The pager of a list page: back by number (`/path?page=N`), on from where this page ends
 * (`?after=`, the list's `next`), so a task handled or an application added meanwhile neither
 * skips nor repeats anything. The numbers are read from the page's offset, size and total; a
 * page that begins within the span of a numbered one (items before it were handled) follows it.
 */
export function listPager(ctx: PageContext, list: ListPage<unknown>, path: string, fragment = ''): SafeHtml | '' {
  const current = Math.ceil(list.offset / list.limit) + 1;
  const pages = current + Math.ceil(Math.max(0, list.total - list.offset - list.items.length) / list.limit);
  const next = list.next ? `${path}?after=${encodeURIComponent(list.next)}${fragment}` : undefined;
  return pager(ctx, current, next ? pages : current, (target) => `${path}?page=${target}${fragment}`, next);
}

export function notice(text: string | undefined, kind: 'success' | 'info' = 'success'): SafeHtml {
  return text ? html`<div class="notice notice--${kind}" role="status">${text}</div>` : html``;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';

interface FieldOptions {
  name: string;
  label: string;
  values: FormValues;
  errors: FormError[];
  hint?: string;
  /** Id of a hint shared by several fields (e.g. one line above a row of inputs). */
  describedBy?: string;
  required?: boolean;
}

function fieldParts(options: FieldOptions) {
  const id = fieldId(options.name);
  const error = options.errors.find((item) => item.field === options.name);
  const described = [options.describedBy ?? '', options.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    id,
    error,
    aria: html`${described ? html` aria-describedby="${described}"` : ''}${error ? html` aria-invalid="true"` : ''}${options.required ? html` required` : ''}`,
    label: html`<label for="${id}">${options.label}</label>`,
    hint: options.hint ? html`<p class="hint" id="${id}-hint">${options.hint}</p>` : '',
    message: error ? html`<p class="field-error" id="${id}-error">${error.message}</p>` : '',
  };
}

export function inputField(options: FieldOptions & { type?: string; attrs?: SafeHtml; className?: string }): SafeHtml {
  const p = fieldParts(options);
  return html`<div class="field${p.error ? ' field--error' : ''}">${p.label}${p.hint}${p.message}
    <input class="${options.className ?? 'input'}" id="${p.id}" name="${options.name}" type="${options.type ?? 'text'}" value="${first(options.values[options.name])}"${p.aria}${options.attrs ?? ''}>
  </div>`;
}

export function textareaField(options: FieldOptions & { rows?: number; maxLength?: number }): SafeHtml {
  const p = fieldParts(options);
  return html`<div class="field${p.error ? ' field--error' : ''}">${p.label}${p.hint}${p.message}
    <textarea class="input" id="${p.id}" name="${options.name}" rows="${options.rows ?? 3}" maxlength="${options.maxLength ?? 2000}"${p.aria}>${first(options.values[options.name])}</textarea>
  </div>`;
}

export function selectField(options: FieldOptions & { choices: { value: string; label: string }[] }): SafeHtml {
  const p = fieldParts(options);
  const selected = first(options.values[options.name]);
  return html`<div class="field${p.error ? ' field--error' : ''}">${p.label}${p.hint}${p.message}
    <select class="input" id="${p.id}" name="${options.name}"${p.aria}>
      ${options.choices.map((choice) => html`<option value="${choice.value}"${choice.value === selected ? html` selected` : ''}>${choice.label}</option>`)}
    </select>
  </div>`;
}

/** Radios or checkboxes in a fieldset; the first input carries the field id for the summary link. */
export function choiceGroup(options: FieldOptions & { type: 'radio' | 'checkbox'; choices: { value: string; label: string; hint?: string }[] }): SafeHtml {
  const id = fieldId(options.name);
  const error = options.errors.find((item) => item.field === options.name);
  const chosen = [options.values[options.name] ?? []].flat();
  return html`<fieldset class="field${error ? ' field--error' : ''}"${error ? html` aria-describedby="${id}-error"` : ''}>
    <legend>${options.label}</legend>
    ${options.hint ? html`<p class="hint">${options.hint}</p>` : ''}
    ${error ? html`<p class="field-error" id="${id}-error">${error.message}</p>` : ''}
    ${options.choices.map((choice, index) => {
      const choiceId = index === 0 ? id : `${id}-${index}`;
      return html`<div class="choice">
        <input type="${options.type}" id="${choiceId}" name="${options.name}" value="${choice.value}"${chosen.includes(choice.value) ? html` checked` : ''}>
        <label for="${choiceId}">${choice.label}${choice.hint ? html` <span class="hint-inline">${choice.hint}</span>` : ''}</label>
      </div>`;
    })}
  </fieldset>`;
}

export function statusBadge(status: string, label: string): SafeHtml {
  return html`<span class="status status--${status.toLowerCase()}">${label}</span>`;
}
