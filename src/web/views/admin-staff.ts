import type { StaffChangeEntry, StaffChangePage } from '../../staff/journal';
import type { DistrictRef, OperatorEntry, StaffList } from '../../staff/operators';
import type { PageContext } from '../context';
import { formatDateTime } from '../format';
import { html, type SafeHtml } from '../html';
import { choiceGroup, csrfInput, errorSummary, inputField, listPager, notice, page, type FormError, type FormValues } from './layout';

export interface StaffPageData {
  staff: StaffList;
  districts: DistrictRef[];
  journal: StaffChangePage;
  /** The operator whose row the form edits, if any. */
  editing?: OperatorEntry;
  values: FormValues;
  errors: FormError[];
  done?: string;
  problem?: string;
}

/** The form's values for an operator being edited. */
export function operatorFormValues(operator: OperatorEntry): FormValues {
  return { email: operator.email, fullName: operator.fullName ?? '', districts: operator.districts.map((district) => String(district.id)) };
}

function operatorsTable(ctx: PageContext, operators: OperatorEntry[]): SafeHtml {
  const { t } = ctx;
  if (operators.length === 0) return html`<p>${t('staff.noOperators')}</p>`;
  return html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="operators-caption"><table class="stack">
    <caption id="operators-caption" class="visually-hidden">${t('staff.operators')}</caption>
    <thead><tr><th scope="col">${t('staff.operator')}</th><th scope="col">${t('staff.districts')}</th><th scope="col"><span class="visually-hidden">${t('staff.edit')}</span></th></tr></thead>
    <tbody>${operators.map((operator) => html`<tr>
      <td data-label="${t('staff.operator')}">${operator.fullName ? html`${operator.fullName}<br>` : ''}<span class="muted">${operator.email}</span></td>
      <td data-label="${t('staff.districts')}">${operator.districts.map((district) => district.name).join(', ')}</td>
      <td><div class="row-actions">
        <a href="/admin/staff?edit=${operator.id}#appoint-title">${t('staff.edit')}<span class="visually-hidden"> ${operator.email}</span></a>
        <form method="post" action="/admin/staff/operators/${operator.id}/dismiss">
          ${csrfInput(ctx)}
          <button type="submit" class="button button--light button--small">${t('staff.dismiss')}<span class="visually-hidden"> ${operator.email}</span></button>
        </form>
      </div></td>
    </tr>`)}</tbody></table></div>`;
}

const names = (districts: DistrictRef[]) => (districts.length > 0 ? districts.map((district) => district.name).join(', ') : '—');

function changeText(ctx: PageContext, change: StaffChangeEntry): string {
  const { t } = ctx;
  if (change.kind === 'APPOINTED') return t('staff.change.APPOINTED', { districts: names(change.districts) });
  if (change.kind === 'DISMISSED') return t('staff.change.DISMISSED', { before: names(change.previousDistricts) });
  const districtsChanged = names(change.districts) !== names(change.previousDistricts);
  if (!districtsChanged) return t('staff.change.nameOnly');
  const districts = t('staff.change.CHANGED', { before: names(change.previousDistricts), after: names(change.districts) });
  return change.nameChanged ? `${districts}; ${t('staff.change.name')}` : districts;
}

function journalSection(ctx: PageContext, journal: StaffChangePage): SafeHtml {
  const { t, lang } = ctx;
  const table =
    journal.items.length === 0
      ? html`<p>${t('staff.journalEmpty')}</p>`
      : html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="journal-title"><table class="stack">
    <thead><tr><th scope="col">${t('staff.when')}</th><th scope="col">${t('staff.person')}</th><th scope="col">${t('staff.change')}</th><th scope="col">${t('staff.by')}</th></tr></thead>
    <tbody>${journal.items.map((change) => html`<tr>
      <td data-label="${t('staff.when')}"><time datetime="${change.occurredAt}">${formatDateTime(lang, change.occurredAt)}</time></td>
      <td data-label="${t('staff.person')}">${change.subject.email}</td>
      <td data-label="${t('staff.change')}">${changeText(ctx, change)}</td>
      <td data-label="${t('staff.by')}">${change.actor.email}</td>
    </tr>`)}</tbody></table></div>`;
  return html`<section class="staff-journal">
    <h2 id="journal-title" tabindex="-1">${t('staff.journal')}</h2>
    <p class="hint">${t('staff.journalHint')}</p>
    ${table}
    ${listPager(ctx, journal, '/admin/staff', '#journal-title')}
  </section>`;
}

export function staffPage(ctx: PageContext, data: StaffPageData): string {
  const { t } = ctx;
  const formTitle = data.editing ? t('staff.editTitle') : t('staff.appointTitle');
  const body = html`
  <h1>${t('staff.title')}</h1>
  <p class="lead">${t('staff.lead')}</p>
  ${notice(data.done)}
  ${data.problem ? html`<div class="notice notice--warning" role="alert">${data.problem}</div>` : ''}
  <h2>${t('staff.operators')}</h2>
  ${data.staff.uncoveredDistricts.length > 0 ? html`<div class="notice notice--warning" role="status">${t('staff.uncovered', { districts: data.staff.uncoveredDistricts.map((district) => district.name).join(', ') })}</div>` : ''}
  ${operatorsTable(ctx, data.staff.operators)}
  <section class="card staff-form" aria-labelledby="appoint-title">
    <h2 id="appoint-title" tabindex="-1">${formTitle}</h2>
    ${errorSummary(ctx, data.errors)}
    <p class="hint">${t('staff.appointHint')}</p>
    <form method="post" action="/admin/staff/operators" novalidate>
      ${csrfInput(ctx)}
      ${data.editing
        ? html`<input type="hidden" name="operator" value="${data.editing.id}">
      ${inputField({ name: 'email', label: t('signin.email'), hint: t('staff.emailFixed'), type: 'email', values: data.values, errors: data.errors, attrs: html` readonly` })}`
        : inputField({ name: 'email', label: t('signin.email'), type: 'email', values: data.values, errors: data.errors, required: true, attrs: html` autocomplete="off" maxlength="254"` })}
      ${inputField({ name: 'fullName', label: `${t('staff.fullName')} (${t('form.optional')})`, values: data.values, errors: data.errors, attrs: html` maxlength="200"` })}
      <div class="district-choices">
        ${choiceGroup({ name: 'districts', type: 'checkbox', label: t('staff.districts'), hint: t('staff.districtsHint'), values: data.values, errors: data.errors, choices: data.districts.map((district) => ({ value: String(district.id), label: district.name })) })}
      </div>
      <button type="submit" class="button">${t('staff.save')}</button>
      ${data.editing ? html` <a href="/admin/staff">${t('staff.cancelEdit')}</a>` : ''}
    </form>
  </section>
  <h2>${t('staff.administrators')}</h2>
  <p class="hint">${t('staff.administratorsHint')}</p>
  <ul>${data.staff.administrators.map((admin) => html`<li>${admin.fullName ? html`${admin.fullName}, ` : ''}${admin.email}</li>`)}</ul>
  ${journalSection(ctx, data.journal)}`;
  return page(ctx, { title: t('staff.title'), body });
}
