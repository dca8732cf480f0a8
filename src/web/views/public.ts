import { ADDON_CODES, type AddOnCode } from '../../domain/addons';
import type { CatalogService } from '../../venues/catalog-service';
import { lastPage, type PageContext } from '../context';
import { formatCalendarDate, formatCount, formatMoney, formatTime } from '../format';
import { html, type SafeHtml } from '../html';
import { addOnName, roomKindLabel } from '../i18n';
import { equipmentName, peopleWord, roomsWord } from '../i18n-catalog';
import { csrfInput, errorSummary, inputField, notice, page, pager, selectField, type FormError, type FormValues } from './layout';

type Districts = Awaited<ReturnType<CatalogService['listDistricts']>>;
type SearchResult = Awaited<ReturnType<CatalogService['searchVenues']>>;
type Venue = NonNullable<Awaited<ReturnType<CatalogService['getVenue']>>>;
type Availability = NonNullable<Awaited<ReturnType<CatalogService['roomAvailability']>>>;

export function catalogPage(ctx: PageContext, data: { districts: Districts; result: SearchResult; values: FormValues; errors: FormError[]; query: URLSearchParams; signedOut?: boolean }): string {
  const { t, lang } = ctx;
  const { result } = data;
  const pages = lastPage(result.total, result.pageSize);
  const pageLink = (target: number) => {
    const query = new URLSearchParams(data.query);
    query.set('page', String(target));
    return `/?${query.toString()}`;
  };
  const date = typeof data.values.date === 'string' ? data.values.date : '';
  const body = html`
  ${data.signedOut ? notice(t('signin.signedOut'), 'info') : ''}
  <h1>${t('catalog.title')}</h1>
  <p class="lead">${t('catalog.lead')}</p>
  ${errorSummary(ctx, data.errors)}
  <form method="get" action="/" class="search card" role="search" aria-label="${t('catalog.search')}">
    <div class="grid grid--search">
      ${selectField({ name: 'district', label: t('catalog.district'), values: data.values, errors: data.errors, choices: [{ value: '', label: t('catalog.anyDistrict') }, ...data.districts.map((d) => ({ value: String(d.id), label: d.name }))] })}
      ${inputField({ name: 'q', label: t('catalog.text'), type: 'search', values: data.values, errors: data.errors })}
      ${inputField({ name: 'capacity', label: t('catalog.capacity'), type: 'number', values: data.values, errors: data.errors, attrs: html` min="1" max="5000" inputmode="numeric"` })}
      ${inputField({ name: 'date', label: t('catalog.date'), type: 'date', values: data.values, errors: data.errors })}
      ${selectField({ name: 'addOn', label: t('catalog.addOn'), values: data.values, errors: data.errors, choices: [{ value: '', label: t('catalog.anyAddOn') }, ...ADDON_CODES.map((code) => ({ value: code, label: addOnName(lang, code) }))] })}
    </div>
    <button type="submit" class="button">${t('catalog.submit')}</button>
  </form>
  <section aria-labelledby="results-title">
    <h2 id="results-title" class="visually-hidden">${t('catalog.results')}</h2>
    <p class="count" role="status">${t('catalog.found', { total: formatCount(lang, result.total) })}</p>
    ${result.items.length === 0 ? html`<p>${t('catalog.nothing')}</p>` : ''}
    <ul class="cards">
      ${result.items.map((venue) => html`<li class="card venue-card">
        <h3><a href="/venues/${venue.id}${date ? `?date=${encodeURIComponent(date)}` : ''}">${venue.name}</a></h3>
        <p class="muted">${venue.district.name} · ${venue.address}</p>
        <p>${t('catalog.rooms', { count: venue.roomCount, rooms: roomsWord(lang, venue.roomCount), capacity: venue.maxCapacity, people: peopleWord(lang, venue.maxCapacity) })}</p>
        ${venue.addOns.length > 0 ? html`<ul class="tags">${venue.addOns.map((code) => html`<li>${addOnName(lang, code as AddOnCode)}</li>`)}</ul>` : ''}
      </li>`)}
    </ul>
    ${pager(ctx, result.page, pages, pageLink)}
  </section>`;
  return page(ctx, { title: t('catalog.title'), body });
}

/**
 * The venue's own text, in Russian whatever the page's language: on an English page it says so,
 * and `lang` lets screen readers read it with Russian pronunciation.
 */
function description(ctx: PageContext, text: string): SafeHtml {
  return ctx.lang === 'ru' ? html`<p>${text}</p>` : html`<p><span class="muted">${ctx.t('venue.inRussian')}</span> <span lang="ru">${text}</span></p>`;
}

function weekdays(ctx: PageContext, days: number[]): string {
  if (days.length === 7) return ctx.t('venue.everyDay');
  const names = ctx.t('venue.weekdays').split(',');
  return days.map((day) => names[day - 1]).join(', ');
}

/** Open minus busy, as [start, end) ranges of ISO strings. */
export function freeRanges(availability: Availability): { start: string; end: string }[] {
  const free: { start: string; end: string }[] = [];
  for (const open of availability.open) {
    let cursor = Date.parse(open.start);
    const end = Date.parse(open.end);
    for (const busy of availability.busy) {
      const busyStart = Date.parse(busy.start);
      const busyEnd = Date.parse(busy.end);
      if (busyEnd <= cursor || busyStart >= end) continue;
      if (busyStart > cursor) free.push({ start: new Date(cursor).toISOString(), end: new Date(busyStart).toISOString() });
      cursor = Math.max(cursor, busyEnd);
    }
    if (cursor < end) free.push({ start: new Date(cursor).toISOString(), end: new Date(end).toISOString() });
  }
  return free;
}

/** "10:00–14:00"; a range that ends at the next midnight ends at 24:00. */
const range = (item: { start: string; end: string }) => {
  const end = formatTime(item.end);
  return `${formatTime(item.start)}–${end === '00:00' && Date.parse(item.end) > Date.parse(item.start) ? '24:00' : end}`;
};

export function venuePage(ctx: PageContext, data: { venue: Venue; date: string; availability: Map<number, Availability>; errors: FormError[] }): string {
  const { t, lang } = ctx;
  const { venue, date } = data;
  const body = html`
  <p><a href="/">← ${t('nav.catalog')}</a></p>
  <h1>${venue.name}</h1>
  <p class="lead">${venue.district.name} · ${venue.address}</p>
  ${venue.description ? description(ctx, venue.description) : ''}
  <p>${t('venue.phone')}: <a href="tel:${venue.phone}">${venue.phone}</a></p>
  ${venue.addOns.length > 0 ? html`<h2>${t('venue.addOns')}</h2>
    <ul class="tags">${venue.addOns.map((addOn) => html`<li>${addOnName(lang, addOn.code as AddOnCode)} — ${t('venue.addOnPrice', { price: formatMoney(lang, addOn.price) })}</li>`)}</ul>` : ''}
  ${errorSummary(ctx, data.errors)}
  <form method="get" action="/venues/${venue.id}" class="card inline-form">
    ${inputField({ name: 'date', label: t('venue.chooseDay'), type: 'date', values: { date }, errors: data.errors, required: true })}
    <button type="submit" class="button button--light">${t('venue.show')}</button>
  </form>
  <h2>${t('venue.rooms')}</h2>
  <div class="rooms">
  ${venue.rooms.map((room) => {
    const availability = data.availability.get(room.id);
    const free = availability ? freeRanges(availability) : [];
    const titleId = `room-${room.id}`;
    // Seeded rooms are named after their kind: the kind is worth showing only where it says more (in English, say).
    const kind = roomKindLabel(lang, room.kind);
    return html`<section class="card room" aria-labelledby="${titleId}">
      <h3 id="${titleId}">${room.name}${kind === room.name ? '' : html` <span class="muted">· ${kind}</span>`}</h3>
      <dl class="facts">
        <div><dt>${t('venue.capacity')}</dt><dd>${t('venue.capacityValue', { count: room.capacity, people: peopleWord(lang, room.capacity) })}</dd></div>
        <div><dt>${t('venue.area')}</dt><dd>${t('venue.areaValue', { area: room.areaSqm })}</dd></div>
        <div><dt>${t('venue.equipment')}</dt><dd>${room.equipment.length > 0 ? room.equipment.map((term) => equipmentName(lang, term)).join(', ') : t('common.none')}</dd></div>
        <div><dt>${t('venue.hours')}</dt><dd>${t('venue.hoursValue', { opens: room.openingHours.opens, closes: room.openingHours.closes, days: weekdays(ctx, room.openingHours.weekdays) })}</dd></div>
        <div><dt>${t('venue.price')}</dt><dd>${t('venue.priceValue', { price: formatMoney(lang, room.pricePerHour) })}</dd></div>
      </dl>
      <h4>${t('venue.dayTitle', { date: formatCalendarDate(lang, date) })}</h4>
      ${!availability || availability.open.length === 0
        ? html`<p class="muted">${t('venue.closed')}</p>`
        : html`<ul class="slots">
            ${free.map((item) => html`<li class="slot slot--free"><span class="slot-word">${t('venue.free')}</span> ${range(item)}</li>`)}
            ${availability.busy.map((item) => html`<li class="slot slot--busy"><span class="slot-word">${t('venue.busy')}</span> ${range(item)}</li>`)}
          </ul>
          ${free.length === 0 ? html`<p>${t('venue.allBusy')}</p>` : ''}`}
      <a class="button" href="/book?room=${room.id}&amp;date=${encodeURIComponent(date)}">${t('venue.book', { room: room.name })}</a>
    </section>`;
  })}
  </div>`;
  return page(ctx, { title: venue.name, body });
}

export function signInPage(ctx: PageContext, data: { values: FormValues; errors: FormError[]; next: string; message?: string }): string {
  const { t } = ctx;
  const body = html`
  <div class="narrow">
  <h1>${t('signin.title')}</h1>
  ${data.message ? html`<div class="notice notice--info" role="status">${data.message}</div>` : ''}
  ${errorSummary(ctx, data.errors)}
  <p class="lead">${t('signin.lead')}</p>
  <form method="post" action="/signin" class="card" novalidate>
    ${csrfInput(ctx)}<input type="hidden" name="next" value="${data.next}">
    ${inputField({ name: 'email', label: t('signin.email'), hint: t('signin.emailHint'), type: 'email', values: data.values, errors: data.errors, required: true, attrs: html` autocomplete="email" spellcheck="false"` })}
    <button type="submit" class="button">${t('signin.send')}</button>
  </form>
  </div>`;
  return page(ctx, { title: t('signin.title'), body });
}

export function codePage(ctx: PageContext, data: { email: string; values: FormValues; errors: FormError[]; next: string }): string {
  const { t } = ctx;
  const body: SafeHtml = html`
  <div class="narrow">
  <h1>${t('signin.codeTitle')}</h1>
  ${errorSummary(ctx, data.errors)}
  <p class="lead">${t('signin.codeLead', { email: data.email })}</p>
  <form method="post" action="/signin/code" class="card" novalidate>
    ${csrfInput(ctx)}<input type="hidden" name="next" value="${data.next}"><input type="hidden" name="email" value="${data.email}">
    ${inputField({ name: 'code', label: t('signin.code'), hint: t('signin.codeHint'), values: data.values, errors: data.errors, required: true, className: 'input input--short', attrs: html` inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}"` })}
    <button type="submit" class="button">${t('signin.enter')}</button>
  </form>
  <p><a href="/signin?next=${encodeURIComponent(data.next)}">${t('signin.otherEmail')}</a></p>
  </div>`;
  return page(ctx, { title: t('signin.codeTitle'), body });
}

/** The title and text of each kind of error page. */
const ERROR_TEXT = {
  400: ['error.400.title', 'error.400.text'],
  unstorable: ['error.400.title', 'error.400.unstorable'],
  403: ['error.403.title', 'error.403.text'],
  csrf: ['error.csrf.title', 'error.csrf.text'],
  404: ['error.404.title', 'error.404.text'],
  500: ['error.500.title', 'error.500.text'],
  503: ['error.503.title', 'error.503.text'],
} as const;

export function errorPage(ctx: PageContext, kind: keyof typeof ERROR_TEXT): string {
  const { t } = ctx;
  const [titleKey, textKey] = ERROR_TEXT[kind];
  const title = t(titleKey);
  const body = html`<div class="narrow"><h1>${title}</h1>
    <p class="lead">${t(textKey)}</p>
    <p><a class="button" href="/">${t('error.home')}</a></p></div>`;
  return page(ctx, { title, body });
}
