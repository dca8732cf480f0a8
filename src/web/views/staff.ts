import { ADDONS_UNDECIDED, type BookingView, type DistrictStats, type OperatorTask, type OperatorTaskPage } from '../../bookings';
import type { AdminBookingRow } from '../../bookings/admin-bookings';
import type { VenueStats } from '../../bookings/venue-stats';
import { fieldErrorMessage } from '../booking-form';
import type { PageContext } from '../context';
import { amountForInput, formatDateTime, formatRange } from '../format';
import { html, type SafeHtml } from '../html';
import { addOnName, decisionLabel, outcomeLabel, slaLabel, statusLabel, taskLabel } from '../i18n';
import { actionKeyInput, choiceGroup, csrfInput, errorSummary, inputField, listPager, page, statusBadge, textareaField, type FormError, type FormValues } from './layout';

function slaBadge(ctx: PageContext, task: Pick<OperatorTask, 'slaState'>): SafeHtml {
  const state = task.slaState ?? 'ON_TIME';
  const icon = { ON_TIME: '●', REMINDED: '◐', ESCALATED: '▲', OVERDUE: '■' }[state];
  return html`<span class="sla sla--${state.toLowerCase()}"><span aria-hidden="true">${icon}</span> ${slaLabel(ctx.lang, state)}</span>`;
}

export function operatorQueuePage(ctx: PageContext, queue: OperatorTaskPage, temporalLink?: (bookingId: string) => string): string {
  const { t, lang } = ctx;
  const tasks = queue.items;
  const body = html`
  <h1>${t('op.title')}</h1>
  <p class="lead">${t('op.lead')}</p>
  ${queue.total > tasks.length ? html`<p class="count" role="status">${t('op.shown', { first: queue.offset + 1, last: queue.offset + tasks.length, total: queue.total })}</p>` : ''}
  ${tasks.length === 0 ? html`<p>${t('op.empty')}</p>` : html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="queue-caption"><table class="queue stack">
    <caption id="queue-caption" class="visually-hidden">${t('op.title')}</caption>
    <thead><tr><th scope="col">${t('op.deadline')}</th><th scope="col">${t('op.sla')}</th><th scope="col">${t('op.task')}</th><th scope="col">${t('account.number')}</th><th scope="col">${t('account.place')}</th><th scope="col">${t('account.when')}</th><th scope="col">${t('op.district')}</th></tr></thead>
    <tbody>${tasks.map((task) => html`<tr class="queue-row queue-row--${(task.slaState ?? 'ON_TIME').toLowerCase()}">
      <td data-label="${t('op.deadline')}">${task.dueAt ? formatDateTime(lang, task.dueAt) : '—'}</td>
      <td data-label="${t('op.sla')}">${slaBadge(ctx, task)}</td>
      <td data-label="${t('op.task')}">${taskLabel(lang, task.kind)}${task.kind === 'CALLBACK' && task.callbackAttempts > 0 ? html`<br><span class="muted">${t('op.attempts', { count: task.callbackAttempts })}</span>` : ''}${task.pendingAddOns > 0 ? html`<br><span class="muted">${t('op.pendingAddOns', { count: task.pendingAddOns })}</span>` : ''}</td>
      <td data-label="${t('account.number')}"><a href="/operator/bookings/${task.bookingId}">${task.code}</a>${temporalLink ? html`<br><a class="small" href="${temporalLink(task.bookingId)}" rel="noopener" target="_blank">Temporal UI</a>` : ''}</td>
      <td data-label="${t('account.place')}">${task.roomName}, ${task.venueName}</td>
      <td data-label="${t('account.when')}">${formatRange(lang, task.startsAt, task.endsAt)}</td>
      <td data-label="${t('op.district')}">${task.districtName}</td>
    </tr>`)}</tbody></table></div>`}
  ${listPager(ctx, queue, '/operator')}`;
  return page(ctx, { title: t('op.title'), body });
}

/** The operator's forms for the booking's current stage. */
export function operatorActions(ctx: PageContext, booking: BookingView, values: FormValues, errors: FormError[]): SafeHtml {
  const { t, lang } = ctx;
  const base = `/operator/bookings/${booking.id}`;
  const decisionOpen = booking.status === 'ADDONS' || booking.status === 'AWAITING_CONFIRMATION';
  const pending = decisionOpen ? booking.addOns.filter((line) => line.status === 'REQUESTED') : [];
  return html`<div class="action-grid">
  ${booking.status === 'AWAITING_CALLBACK' ? html`<section class="card" aria-labelledby="callback-title">
    <h2 id="callback-title">${t('op.callbackTitle')}</h2>
    <form method="post" action="${base}/callback" novalidate>
      ${csrfInput(ctx)}${actionKeyInput(values)}
      <input type="hidden" name="attempt" value="${booking.callbackAttempts + 1}">
      ${choiceGroup({ name: 'outcome', type: 'radio', label: t('op.outcome'), values, errors, choices: (['AGREED', 'NO_ANSWER', 'REJECTED'] as const).map((value) => ({ value, label: outcomeLabel(lang, value) })) })}
      ${textareaField({ name: 'note', label: `${t('op.note')} (${t('form.optional')})`, values, errors, rows: 2 })}
      <fieldset class="field"><legend>${t('op.changes')}</legend><p class="hint">${t('op.changesHint')}</p>
        ${inputField({ name: 'changeTitle', label: t('book.eventTitle'), values, errors, attrs: html` maxlength="200"` })}
        ${inputField({ name: 'changeAttendees', label: t('book.attendees'), type: 'number', values, errors, className: 'input input--short', attrs: html` min="1" inputmode="numeric"` })}
        ${textareaField({ name: 'changeComment', label: t('book.comment'), values, errors, rows: 2 })}
      </fieldset>
      <button type="submit" class="button">${t('op.saveCallback')}</button>
    </form>
  </section>` : ''}
  ${pending.map((line) => {
    const prefix = `d_${line.code}`;
    return html`<section class="card" aria-labelledby="decide-${line.code}">
    <h2 id="decide-${line.code}">${t('op.decisionTitle', { name: addOnName(lang, line.code) })}</h2>
    <form method="post" action="${base}/addons/${line.code}" novalidate>
      ${csrfInput(ctx)}${actionKeyInput(values)}
      ${choiceGroup({ name: `${prefix}_decision`, type: 'radio', label: t('op.decision'), values, errors, choices: (['APPROVED', 'DECLINED'] as const).map((value) => ({ value, label: decisionLabel(lang, value) })) })}
      ${inputField({ name: `${prefix}_price`, label: t('op.priceRub'), hint: t('op.priceHint'), values: { ...values, [`${prefix}_price`]: values[`${prefix}_price`] ?? amountForInput(lang, line.listTotal) }, errors, className: 'input input--short', attrs: html` inputmode="decimal"` })}
      ${textareaField({ name: `${prefix}_note`, label: `${t('op.note')} (${t('form.optional')})`, values, errors, rows: 2, maxLength: 1000 })}
      <button type="submit" class="button">${t('op.saveDecision')}</button>
    </form>
  </section>`;
  })}
  ${booking.status === 'AWAITING_CONFIRMATION' ? html`<section class="card" aria-labelledby="confirm-title">
    <h2 id="confirm-title">${t('op.confirmTitle')}</h2>
    ${pending.length > 0 ? html`<p>${fieldErrorMessage(ADDONS_UNDECIDED, lang)}</p>` : html`<form method="post" action="${base}/confirm" novalidate>
      ${csrfInput(ctx)}${actionKeyInput(values)}
      ${textareaField({ name: 'confirmNote', label: `${t('op.note')} (${t('form.optional')})`, values, errors, rows: 2, maxLength: 1000 })}
      <button type="submit" class="button">${t('op.confirm')}</button>
    </form>`}
  </section>` : ''}
  ${booking.status === 'AWAITING_CALLBACK' || booking.status === 'AWAITING_CONFIRMATION' ? html`<section class="card" aria-labelledby="reject-title">
    <h2 id="reject-title">${t('op.rejectTitle')}</h2>
    <form method="post" action="${base}/reject" novalidate>
      ${csrfInput(ctx)}${actionKeyInput(values)}
      ${textareaField({ name: 'reason', label: t('op.rejectReason'), values, errors, required: true, rows: 2, maxLength: 1000 })}
      <button type="submit" class="button button--danger">${t('op.reject')}</button>
    </form>
  </section>` : ''}
  </div>`;
}

function duration(ctx: PageContext, seconds: number | null): string {
  if (seconds === null) return '—';
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? ctx.t('admin.minutes', { value: minutes }) : ctx.t('admin.hours', { value: (seconds / 3600).toFixed(1).replace('.', ctx.lang === 'ru' ? ',' : '.') });
}

/** Horizontal bars in inline SVG: submitted (light) with confirmed (dark) over it, per district. */
function chart(ctx: PageContext, rows: DistrictStats[]): SafeHtml {
  // Every district has a row; the chart shows the busiest that had any.
  const shown = rows.filter((row) => row.submitted > 0).sort((a, b) => b.submitted - a.submitted).slice(0, 15);
  const max = Math.max(1, ...shown.map((row) => row.submitted));
  const labelWidth = 190;
  const barArea = 360;
  const rowHeight = 30;
  const height = shown.length * rowHeight + 40;
  return html`<figure class="chart card" tabindex="0" aria-label="${ctx.t('admin.chart')}">
    <figcaption>${ctx.t('admin.chart')}</figcaption>
    <svg viewBox="0 0 ${labelWidth + barArea + 60} ${height}" role="img" aria-labelledby="chart-title" class="chart-svg" focusable="false">
      <title id="chart-title">${ctx.t('admin.chart')}</title>
      ${shown.map((row, index) => {
        const y = index * rowHeight + 6;
        const submitted = (row.submitted / max) * barArea;
        const confirmed = (row.confirmed / max) * barArea;
        return html`<g>
          <text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end" class="chart-label">${row.districtName.length > 24 ? `${row.districtName.slice(0, 23)}…` : row.districtName}</text>
          <rect x="${labelWidth}" y="${y}" width="${submitted.toFixed(1)}" height="20" class="bar bar--submitted"></rect>
          <rect x="${labelWidth}" y="${y + 5}" width="${confirmed.toFixed(1)}" height="10" class="bar bar--confirmed"></rect>
          <text x="${(labelWidth + submitted + 6).toFixed(1)}" y="${y + 15}" class="chart-value">${row.confirmed} / ${row.submitted}</text>
        </g>`;
      })}
      <g transform="translate(${labelWidth}, ${shown.length * rowHeight + 14})">
        <rect x="0" y="0" width="14" height="14" class="bar bar--submitted"></rect><text x="20" y="12" class="chart-label">${ctx.t('admin.submitted')}</text>
        <rect x="140" y="0" width="14" height="14" class="bar bar--confirmed"></rect><text x="160" y="12" class="chart-label">${ctx.t('admin.confirmed')}</text>
      </g>
    </svg>
  </figure>`;
}

export function adminPage(
  ctx: PageContext,
  data: {
    values: FormValues;
    errors: FormError[];
    rows: DistrictStats[];
    bookings: AdminBookingRow[];
    temporalLink: (bookingId: string) => string;
    /** The district opened for per-venue figures, if any. */
    venues?: { districtName: string; rows: VenueStats[] };
  },
): string {
  const { t, lang } = ctx;
  const { rows } = data;
  const districtHref = (districtId: number) => `/admin?${new URLSearchParams({ from: String(data.values.from ?? ''), to: String(data.values.to ?? ''), district: String(districtId) }).toString()}#venues`;
  const sum = (key: 'submitted' | 'confirmed' | 'rejected' | 'expired' | 'cancelled' | 'slaBreaches') => rows.reduce((total, row) => total + row[key], 0);
  const body = html`
  <h1>${t('admin.title')}</h1>
  ${errorSummary(ctx, data.errors)}
  <form method="get" action="/admin" class="card inline-form" novalidate>
    <fieldset class="field"><legend>${t('admin.period')}</legend>
      <div class="grid grid--period">
        ${inputField({ name: 'from', label: t('admin.from'), type: 'date', values: data.values, errors: data.errors, required: true })}
        ${inputField({ name: 'to', label: t('admin.to'), type: 'date', values: data.values, errors: data.errors, required: true })}
      </div>
    </fieldset>
    <button type="submit" class="button button--light">${t('admin.show')}</button>
  </form>
  ${sum('submitted') === 0 ? html`<p>${t('admin.empty')}</p>` : html`
  ${chart(ctx, rows)}
  <p class="hint">${t('admin.districtHint')}</p>
  <div class="table-wrap" tabindex="0" role="region" aria-labelledby="stats-caption"><table class="stats">
    <caption id="stats-caption">${t('admin.title')}</caption>
    <thead><tr><th scope="col">${t('op.district')}</th><th scope="col">${t('admin.submitted')}</th><th scope="col">${t('admin.confirmed')}</th><th scope="col">${t('admin.rejected')}</th><th scope="col">${t('admin.expired')}</th><th scope="col">${t('admin.cancelled')}</th><th scope="col">${t('admin.median')}</th><th scope="col">${t('admin.breaches')}</th></tr></thead>
    <tbody>${rows.map((row) => html`<tr><th scope="row"><a href="${districtHref(row.districtId)}">${row.districtName}</a></th><td>${row.submitted}</td><td>${row.confirmed}</td><td>${row.rejected}</td><td>${row.expired}</td><td>${row.cancelled}</td><td>${duration(ctx, row.medianSecondsToCallback)}</td><td>${row.slaBreaches}</td></tr>`)}</tbody>
    <tfoot><tr><th scope="row">${t('admin.total')}</th><td>${sum('submitted')}</td><td>${sum('confirmed')}</td><td>${sum('rejected')}</td><td>${sum('expired')}</td><td>${sum('cancelled')}</td><td></td><td>${sum('slaBreaches')}</td></tr></tfoot>
  </table></div>`}
  ${data.venues ? html`<h2 id="venues" tabindex="-1">${t('admin.byVenue', { district: data.venues.districtName })}</h2>
  ${data.venues.rows.every((row) => row.submitted === 0) ? html`<p>${t('admin.empty')}</p>` : html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="venues"><table class="stats">
    <thead><tr><th scope="col">${t('admin.venue')}</th><th scope="col">${t('admin.submitted')}</th><th scope="col">${t('admin.confirmed')}</th><th scope="col">${t('admin.rejected')}</th><th scope="col">${t('admin.expired')}</th><th scope="col">${t('admin.cancelled')}</th><th scope="col">${t('admin.median')}</th><th scope="col">${t('admin.breaches')}</th></tr></thead>
    <tbody>${data.venues.rows.map((row) => html`<tr><th scope="row"><a href="/venues/${row.venueId}">${row.venueName}</a></th><td>${row.submitted}</td><td>${row.confirmed}</td><td>${row.rejected}</td><td>${row.expired}</td><td>${row.cancelled}</td><td>${duration(ctx, row.medianSecondsToCallback)}</td><td>${row.slaBreaches}</td></tr>`)}</tbody>
  </table></div>`}` : ''}
  <h2>${t('admin.bookings')}</h2>
  ${data.bookings.length === 0 ? html`<p>${t('admin.empty')}</p>` : html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="bookings-caption"><table class="stack">
    <caption id="bookings-caption" class="visually-hidden">${t('admin.bookings')}</caption>
    <thead><tr><th scope="col">${t('account.number')}</th><th scope="col">${t('account.status')}</th><th scope="col">${t('account.place')}</th><th scope="col">${t('account.when')}</th><th scope="col">${t('admin.workflow')}</th></tr></thead>
    <tbody>${data.bookings.map((booking) => html`<tr>
      <td data-label="${t('account.number')}"><a href="/operator/bookings/${booking.id}">${booking.code}</a></td>
      <td data-label="${t('account.status')}">${statusBadge(booking.status, statusLabel(lang, booking.status))}</td>
      <td data-label="${t('account.place')}">${booking.roomName}, ${booking.venueName} (${booking.districtName})</td>
      <td data-label="${t('account.when')}">${formatDateTime(lang, booking.startsAt)}</td>
      <td data-label="${t('admin.workflow')}"><a href="${data.temporalLink(booking.id)}" rel="noopener" target="_blank">${t('detail.temporal')}<span class="visually-hidden"> ${booking.code}</span></a></td>
    </tr>`)}</tbody></table></div>`}`;
  return page(ctx, { title: t('admin.title'), body });
}

export { statusBadge };
