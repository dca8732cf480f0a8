import type { AddOnCode } from '../../domain/addons';
import { EVENT_TYPES, type EventType } from '../../domain/booking-request';
import type { BookingSummary, BookingView, ListPage } from '../../bookings';
import { FINAL_STATUSES } from '../../domain/status';
import type { PageContext } from '../context';
import { formatDateTime, formatMoney, formatPhone, formatRange } from '../format';
import { html, type SafeHtml } from '../html';
import { addOnName, addOnStatusLabel, eventTypeLabel, statusLabel, timelineLabel } from '../i18n';
import { peopleWord } from '../i18n-catalog';
import { actionKeyInput, choiceGroup, csrfInput, errorSummary, inputField, listPager, notice, page, selectField, statusBadge, textareaField, type FormError, type FormValues } from './layout';

export interface BookingRoomInfo {
  roomId: number;
  roomName: string;
  capacity: number;
  venueId: number;
  venueName: string;
  address: string;
  pricePerHour: number;
  /** Rooms of the same venue, to switch between. */
  rooms: { id: number; name: string; capacity: number }[];
  addOns: { code: AddOnCode; price: number }[];
}

const BOOKING_FIELDS = ['room', 'date', 'start', 'end', 'eventTitle', 'eventType', 'attendees', 'phone', 'contactName', 'comment'] as const;

/** An application's idempotency key and the digest of the details it was minted for. */
export interface BookingKey {
  key: string;
  keyFor: string;
}

const keyFields = (key: BookingKey | undefined) => (key ? html`<input type="hidden" name="key" value="${key.key}"><input type="hidden" name="keyFor" value="${key.keyFor}">` : '');

function hiddenFields(values: FormValues): SafeHtml {
  return html`${BOOKING_FIELDS.map((name) => html`<input type="hidden" name="${name}" value="${String(values[name] ?? '')}">`)}
    ${[values.addOns ?? []].flat().map((code) => html`<input type="hidden" name="addOns" value="${code}">`)}`;
}

/** Step 1. `carried`: the key of a check page this form came back from (kept while the details stay the same). */
export function bookingFormPage(ctx: PageContext, data: { room: BookingRoomInfo; values: FormValues; errors: FormError[]; busyHint?: string; carried?: BookingKey }): string {
  const { t, lang } = ctx;
  const { room, values, errors } = data;
  const body = html`
  <p><a href="/venues/${room.venueId}?date=${encodeURIComponent(String(values.date ?? ''))}">← ${room.venueName}</a></p>
  <p class="step">${t('book.steps', { step: 1 })}</p>
  <h1>${t('book.title')}</h1>
  <p class="lead">${room.venueName} · ${room.address}</p>
  ${errorSummary(ctx, errors)}
  <form method="post" action="/book" class="card form" novalidate>
    ${csrfInput(ctx)}<input type="hidden" name="action" value="review">${keyFields(data.carried)}
    ${selectField({ name: 'room', label: t('book.room'), values, errors, required: true, choices: room.rooms.map((r) => ({ value: String(r.id), label: `${r.name} (${t('venue.capacityValue', { count: r.capacity, people: peopleWord(lang, r.capacity) })})` })) })}
    <p class="hint" id="time-hint">${t('book.timeHint')}</p>
    <div class="grid grid--time">
      ${inputField({ name: 'date', label: t('book.date'), type: 'date', values, errors, required: true })}
      ${inputField({ name: 'start', label: t('book.start'), type: 'time', values, errors, required: true, describedBy: 'time-hint', attrs: html` step="1800"` })}
      ${inputField({ name: 'end', label: t('book.end'), type: 'time', values, errors, required: true, describedBy: 'time-hint', attrs: html` step="1800"` })}
    </div>
    ${data.busyHint ? html`<p class="hint">${data.busyHint}</p>` : ''}
    ${inputField({ name: 'eventTitle', label: t('book.eventTitle'), values, errors, required: true, attrs: html` maxlength="200"` })}
    ${selectField({ name: 'eventType', label: t('book.eventType'), values, errors, required: true, choices: EVENT_TYPES.map((type) => ({ value: type, label: eventTypeLabel(lang, type) })) })}
    ${inputField({ name: 'attendees', label: t('book.attendees'), type: 'number', values, errors, required: true, className: 'input input--short', attrs: html` min="1" max="${room.capacity}" inputmode="numeric"` })}
    ${inputField({ name: 'phone', label: t('book.phone'), hint: t('book.phoneHint'), type: 'tel', values, errors, required: true, attrs: html` autocomplete="tel"` })}
    ${inputField({ name: 'contactName', label: `${t('book.contactName')} (${t('form.optional')})`, hint: t('book.contactNameHint'), values, errors, attrs: html` autocomplete="name" maxlength="100"` })}
    ${textareaField({ name: 'comment', label: `${t('book.comment')} (${t('form.optional')})`, values, errors })}
    ${room.addOns.length > 0
      ? choiceGroup({ name: 'addOns', type: 'checkbox', label: `${t('book.addOns')} (${t('form.optional')})`, hint: t('book.addOnsHint'), values, errors, choices: room.addOns.map((addOn) => ({ value: addOn.code, label: addOnName(lang, addOn.code), hint: t('venue.addOnPrice', { price: formatMoney(lang, addOn.price) }) })) })
      : ''}
    <button type="submit" class="button">${t('book.continue')}</button>
  </form>`;
  return page(ctx, { title: t('book.title'), body });
}

/** Step 2. `problem`: why the page is shown again (the submission's answer was lost). */
export function bookingReviewPage(ctx: PageContext, data: { room: BookingRoomInfo; values: FormValues; startsAt: Date; endsAt: Date; roomPrice: number; key: BookingKey; problem?: string }): string {
  const { t, lang } = ctx;
  const { values, room } = data;
  const chosen = [values.addOns ?? []].flat() as AddOnCode[];
  const roomName = room.rooms.find((r) => String(r.id) === values.room)?.name ?? room.roomName;
  const row = (label: string, value: string | SafeHtml) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  const body = html`
  <p class="step">${t('book.steps', { step: 2 })}</p>
  <h1>${t('book.checkTitle')}</h1>
  ${data.problem ? html`<div class="notice notice--warning" role="alert">${data.problem}</div>` : ''}
  <dl class="summary card">
    ${row(t('detail.place'), `${roomName}, ${room.venueName}, ${room.address}`)}
    ${row(t('detail.when'), formatRange(lang, data.startsAt, data.endsAt))}
    ${row(t('detail.event'), `${String(values.eventTitle)} (${eventTypeLabel(lang, values.eventType as EventType)})`)}
    ${row(t('detail.attendees'), String(values.attendees))}
    ${row(t('detail.phone'), String(values.phone))}
    ${String(values.contactName ?? '').trim() ? row(t('detail.contactName'), String(values.contactName).trim()) : ''}
    ${values.comment ? row(t('detail.comment'), String(values.comment)) : ''}
    ${row(t('book.addOns'), chosen.length > 0 ? chosen.map((code) => addOnName(lang, code)).join(', ') : t('book.noAddOns'))}
    ${row(t('book.roomPrice'), formatMoney(lang, data.roomPrice))}
  </dl>
  <div class="actions">
    <form method="post" action="/book">
      ${csrfInput(ctx)}${hiddenFields(values)}<input type="hidden" name="action" value="submit">${keyFields(data.key)}
      <button type="submit" class="button">${t('book.submit')}</button>
    </form>
    <form method="post" action="/book">
      ${csrfInput(ctx)}${hiddenFields(values)}<input type="hidden" name="action" value="edit">${keyFields(data.key)}
      <button type="submit" class="button button--light">${t('book.change')}</button>
    </form>
  </div>`;
  return page(ctx, { title: t('book.checkTitle'), body });
}

export function bookingDonePage(ctx: PageContext, booking: BookingView): string {
  const { t, lang } = ctx;
  const body = html`
  <div class="panel panel--success">
    <h1>${t('book.doneTitle')}</h1>
    <p>${t('book.doneNumber')}</p>
    <p class="big-number" data-testid="booking-code">${booking.code}</p>
  </div>
  <p>${statusBadge(booking.status, statusLabel(lang, booking.status))}</p>
  <p>${booking.room.name}, ${booking.venue.name} · ${formatRange(lang, booking.startsAt, booking.endsAt)}</p>
  <h2>${t('book.next')}</h2>
  <ol class="next-steps">
    <li>${t('book.next1')}</li>
    <li>${t('book.next2', { phone: formatPhone(booking.contactPhone), deadline: booking.dueAt ? formatDateTime(lang, booking.dueAt) : '—' })}</li>
    <li>${t('book.next3')}</li>
  </ol>
  <p><a class="button" href="/account/bookings/${booking.id}">${t('book.toAccount')}</a></p>`;
  return page(ctx, { title: t('book.doneTitle'), body });
}

export function accountPage(ctx: PageContext, mine: ListPage<BookingSummary>): string {
  const { t, lang } = ctx;
  const { items } = mine;
  const body = html`
  <h1>${t('account.title')}</h1>
  ${mine.total > items.length ? html`<p class="count" role="status">${t('account.shown', { first: mine.offset + 1, last: mine.offset + items.length, total: mine.total })}</p>` : ''}
  ${items.length === 0
    ? ctx.user?.role === 'RESIDENT'
      ? html`<p>${t('account.empty')}</p><p><a class="button" href="/">${t('account.find')}</a></p>`
      : html`<p>${t('account.emptyStaff')}</p>`
    : html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="account-caption"><table class="stack">
      <caption id="account-caption" class="visually-hidden">${t('account.title')}</caption>
      <thead><tr><th scope="col">${t('account.number')}</th><th scope="col">${t('account.event')}</th><th scope="col">${t('account.place')}</th><th scope="col">${t('account.when')}</th><th scope="col">${t('account.status')}</th></tr></thead>
      <tbody>${items.map((item) => html`<tr>
        <td data-label="${t('account.number')}"><a href="/account/bookings/${item.id}">${item.code}</a></td>
        <td data-label="${t('account.event')}">${item.eventTitle}</td>
        <td data-label="${t('account.place')}">${item.roomName}, ${item.venueName}</td>
        <td data-label="${t('account.when')}">${formatRange(lang, item.startsAt, item.endsAt)}</td>
        <td data-label="${t('account.status')}">${statusBadge(item.status, statusLabel(lang, item.status))}</td>
      </tr>`)}</tbody>
    </table></div>`}
  ${listPager(ctx, mine, '/account')}`;
  return page(ctx, { title: t('account.title'), body });
}

/** The part of the detail page that the script swaps in place when the booking changes. */
export function bookingFacts(ctx: PageContext, booking: BookingView): SafeHtml {
  const { t, lang } = ctx;
  const row = (label: string, value: string | SafeHtml) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  const open = !FINAL_STATUSES.includes(booking.status);
  return html`
  <dl class="summary card">
    ${row(t('detail.status'), statusBadge(booking.status, statusLabel(lang, booking.status)))}
    ${open && booking.dueAt ? row(t('detail.deadline'), formatDateTime(lang, booking.dueAt)) : ''}
    ${row(t('detail.place'), `${booking.room.name}, ${booking.venue.name}, ${booking.venue.address} (${t('detail.district', { district: booking.district.name })})`)}
    ${row(t('detail.when'), formatRange(lang, booking.startsAt, booking.endsAt))}
    ${row(t('detail.event'), `${booking.eventTitle} (${eventTypeLabel(lang, booking.eventType as EventType)})`)}
    ${row(t('detail.attendees'), String(booking.attendees))}
    ${row(t('detail.phone'), formatPhone(booking.contactPhone))}
    ${booking.contactName ? row(t('detail.contactName'), booking.contactName) : ''}
    ${booking.comment ? row(t('detail.comment'), booking.comment) : ''}
    ${row(t('detail.prices'), html`${t('detail.roomPrice')}: ${formatMoney(lang, booking.prices.room)}; ${t('detail.addOnsPrice')}: ${formatMoney(lang, booking.prices.addOns)}; <strong>${t('detail.total')}: ${formatMoney(lang, booking.prices.total)}</strong>`)}
  </dl>
  <h2>${t('detail.addOns')}</h2>
  ${booking.addOns.length === 0 ? html`<p>${t('detail.noAddOns')}</p>` : html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t('detail.addOns')}"><table>
    <thead><tr><th scope="col">${t('detail.service')}</th><th scope="col">${t('detail.listPrice')}</th><th scope="col">${t('detail.decision')}</th><th scope="col">${t('detail.price')}</th></tr></thead>
    <tbody>${booking.addOns.map((line) => html`<tr>
      <td>${addOnName(lang, line.code)}${line.quantity > 1 ? ` × ${line.quantity}` : ''}</td>
      <td>${formatMoney(lang, line.listTotal)}</td>
      <td>${statusBadge(line.status, addOnStatusLabel(lang, line.status))}${line.decisionNote ? html`<br><span class="muted">${line.decisionNote}</span>` : ''}</td>
      <td>${line.price !== null ? formatMoney(lang, line.price) : '—'}</td>
    </tr>`)}</tbody></table></div>`}
  <h2>${t('detail.timeline')}</h2>
  <ol class="timeline">
    ${booking.timeline.map((event) => html`<li>
      <time datetime="${event.occurredAt}">${formatDateTime(lang, event.occurredAt)}</time>
      <span class="timeline-what">${timelineLabel(lang, event)}${event.toStatus ? html` → ${statusLabel(lang, event.toStatus)}` : ''}</span>
      ${event.note ? html`<span class="muted">${event.note}</span>` : ''}
    </li>`)}
  </ol>`;
}

export function bookingDetailPage(
  ctx: PageContext,
  data: { booking: BookingView; liveUrl: string; pageUrl: string; actions: SafeHtml; errors: FormError[]; done?: string; problem?: string; extra?: SafeHtml },
): string {
  const { t } = ctx;
  const { booking } = data;
  const body = html`
  <h1>${t('detail.title', { code: booking.code })}</h1>
  ${notice(data.done)}
  ${data.problem ? html`<div class="notice notice--warning" role="alert">${data.problem}</div>` : ''}
  ${errorSummary(ctx, data.errors)}
  ${data.extra ?? ''}
  <p class="hint">${t('detail.live')}</p>
  <div class="visually-hidden" aria-live="polite" data-live-announce></div>
  <div data-live="${data.liveUrl}" data-live-page="${data.pageUrl}" data-live-version="${booking.updatedAt}">${bookingFacts(ctx, booking)}</div>
  ${data.actions}`;
  return page(ctx, { title: t('detail.title', { code: booking.code }), body });
}

/** What the resident may do now: order services and finish that stage, or cancel. */
export function residentActions(ctx: PageContext, booking: BookingView, offered: { code: AddOnCode; price: number }[], values: FormValues, errors: FormError[]): SafeHtml {
  const { t, lang } = ctx;
  if (FINAL_STATUSES.includes(booking.status)) return html``;
  const notOrdered = offered.filter((addOn) => !booking.addOns.some((line) => line.code === addOn.code && line.status !== 'CANCELLED'));
  return html`<div class="action-grid">
    ${booking.status === 'ADDONS' ? html`
    <section class="card" aria-labelledby="order-title">
      <h2 id="order-title">${t('detail.orderTitle')}</h2>
      ${notOrdered.length === 0 ? html`<p>${t('detail.orderNone')}</p>` : html`<form method="post" action="/account/bookings/${booking.id}/addons" novalidate>
        ${csrfInput(ctx)}${actionKeyInput(values)}
        ${choiceGroup({ name: 'addOns', type: 'checkbox', label: t('book.addOns'), hint: t('book.addOnsHint'), values, errors, choices: notOrdered.map((addOn) => ({ value: addOn.code, label: addOnName(lang, addOn.code), hint: t('venue.addOnPrice', { price: formatMoney(lang, addOn.price) }) })) })}
        <button type="submit" class="button">${t('detail.order')}</button>
      </form>`}
    </section>
    <section class="card" aria-labelledby="finish-title">
      <h2 id="finish-title">${t('detail.finishTitle')}</h2>
      <p>${t('detail.finishLead')}</p>
      <form method="post" action="/account/bookings/${booking.id}/addons/submit">${csrfInput(ctx)}${actionKeyInput(values)}<button type="submit" class="button">${t('detail.finish')}</button></form>
    </section>` : ''}
    <section class="card" aria-labelledby="cancel-title">
      <h2 id="cancel-title">${t('detail.cancelTitle')}</h2>
      <form method="post" action="/account/bookings/${booking.id}/cancel" novalidate>
        ${csrfInput(ctx)}${actionKeyInput(values)}
        ${textareaField({ name: 'reason', label: t('detail.cancelReason'), values, errors, required: true, rows: 2, maxLength: 1000 })}
        <button type="submit" class="button button--danger">${t('detail.cancel')}</button>
      </form>
    </section>
  </div>`;
}
