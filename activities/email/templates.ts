import { ADDON_NAME_RU, type AddOnCode } from '../../src/domain/addons';
import { formatDateTime, formatRange } from '../../src/web/format';
// The tasks as the operator's page names them.
import { taskLabel } from '../../src/web/i18n';
import { formatRubles } from '../../src/domain/price';
import { bilingualEmail, type RenderedEmail } from './bilingual';
import type { BookingEmailData, BookingEmailKind, RecipientRole } from './kinds';
import { englishParagraphs, englishSubject } from './templates-en';

/** What templates know about a booking (read from the database by the activity). */
export interface BookingForEmail {
  id: string;
  code: string;
  eventTitle: string;
  startsAt: Date;
  endsAt: Date;
  roomName: string;
  venueName: string;
  venueAddress: string;
  districtName: string;
  residentName: string | null;
  roomPrice: number;
  addOns: { code: AddOnCode; status: string; price: number | null }[];
  /** The booking's stage and its current task's deadline when the e-mail is made. */
  status: string;
  dueAt: Date | null;
}

/** Until when extra services can be ordered, if the booking is in that stage now. */
export function addOnsWindowEnd(booking: BookingForEmail): Date | undefined {
  return booking.status === 'ADDONS' && booking.dueAt ? booking.dueAt : undefined;
}

const OUTCOME_RU = { AGREED: 'детали согласованы', NO_ANSWER: 'не удалось дозвониться', REJECTED: 'заявка отклонена' } as const;

/** "3 декабря 2026, 18:00 (мск)", as the pages write it. */
const moscow = (instant: Date | string | undefined) => (instant ? `${formatDateTime('ru', instant)} (мск)` : '—');

function when(booking: BookingForEmail): string {
  return `${formatRange('ru', booking.startsAt, booking.endsAt)} (мск)`;
}

function details(booking: BookingForEmail): string[] {
  return [
    `Заявка: ${booking.code}`,
    `Мероприятие: ${booking.eventTitle}`,
    `Где: ${booking.venueName}, ${booking.roomName} — ${booking.venueAddress} (округ: ${booking.districtName})`,
    `Когда: ${when(booking)}`,
  ];
}

function total(booking: BookingForEmail): number {
  return booking.roomPrice + booking.addOns.filter((line) => line.status === 'APPROVED').reduce((sum, line) => sum + (line.price ?? 0), 0);
}

function body(kind: BookingEmailKind, role: RecipientRole, booking: BookingForEmail, data: BookingEmailData): { subject: string; lead: string[] } {
  const code = booking.code;
  switch (kind) {
    case 'SUBMITTED':
      return role === 'RESIDENT'
        ? { subject: `Заявка ${code} принята`, lead: ['Ваша заявка принята, время в зале закреплено за вами.', 'Оператор позвонит вам, чтобы уточнить детали.'] }
        : { subject: `Новая заявка ${code}: нужен звонок`, lead: ['Поступила новая заявка. Позвоните заявителю и отметьте результат звонка.'] };
    case 'ADDONS_ORDERED':
      return { subject: `Заявка ${code}: заказаны дополнительные услуги`, lead: [`Заявитель заказал: ${(data.codes ?? []).map((c) => ADDON_NAME_RU[c]).join(', ')}.`, 'Примите решение по каждой услуге.'] };
    case 'TASK_REMINDER':
      return { subject: `Напоминание: заявка ${code} ждёт действий`, lead: [`Задача «${taskLabel('ru', data.task ?? 'CALLBACK')}» должна быть выполнена до ${moscow(data.dueAt)}.`] };
    case 'TASK_ESCALATION':
      return { subject: `Эскалация: срок по заявке ${code} истёк`, lead: [`Задача «${taskLabel('ru', data.task ?? 'CALLBACK')}» не выполнена в срок (${moscow(data.dueAt)}).`] };
    case 'CALLBACK_OUTCOME': {
      const lead = [`Результат звонка оператора: ${OUTCOME_RU[data.outcome ?? 'AGREED']}.`];
      if (data.outcome === 'AGREED') {
        const until = addOnsWindowEnd(booking);
        lead.push(`Теперь вы можете заказать дополнительные услуги в личном кабинете${until ? ` до ${moscow(until)}` : ''}.`);
        lead.push(`Если услуги не нужны, нажмите «Передать на подтверждение» в личном кабинете${until ? `; после ${moscow(until)} заявка перейдёт на подтверждение сама` : ''}.`);
      }
      if (data.outcome === 'NO_ANSWER') {
        lead.push(`Оператор не смог до вас дозвониться (попытка ${data.attempt ?? 1} из ${data.maxAttempts ?? 3}). Мы позвоним ещё раз — пожалуйста, будьте на связи по номеру из заявки.`);
      }
      if (data.note) lead.push(`Комментарий оператора: ${data.note}`);
      return { subject: `Заявка ${code}: ${OUTCOME_RU[data.outcome ?? 'AGREED']}`, lead };
    }
    case 'ADDON_DECISION': {
      const name = data.code ? ADDON_NAME_RU[data.code] : 'услуга';
      const lead = [data.decision === 'APPROVED' ? `Услуга «${name}» одобрена, стоимость ${formatRubles(data.price ?? 0)}.` : `Услуга «${name}» не может быть оказана.`];
      if (data.note) lead.push(`Комментарий: ${data.note}`);
      return { subject: `Заявка ${code}: решение по услуге «${name}»`, lead };
    }
    case 'CONFIRMED':
      return { subject: `Заявка ${code}: бронь подтверждена`, lead: ['Бронь подтверждена. Приглашение для календаря — во вложении.', `Итоговая стоимость: ${formatRubles(total(booking))}.`] };
    case 'REJECTED':
      return { subject: `Заявка ${code} отклонена`, lead: ['К сожалению, заявка отклонена, время в зале освобождено.', ...(data.reason ? [`Причина: ${data.reason}`] : [])] };
    case 'CANCELLED':
      return { subject: `Заявка ${code} отменена`, lead: ['Заявка отменена, время в зале освобождено.', ...(data.reason ? [`Причина: ${data.reason}`] : [])] };
    case 'EXPIRED':
      return {
        subject: `Срок заявки ${code} истёк`,
        lead: [
          data.reason === 'NO_ANSWER'
            ? 'Оператор несколько раз не смог до вас дозвониться, поэтому заявка закрыта и время в зале освобождено.'
            : 'Заявка не была подтверждена вовремя, время в зале освобождено.',
          'Вы можете подать новую заявку.',
        ],
      };
    case 'EVENT_REMINDER':
      return { subject: `Напоминание: ${booking.eventTitle}, ${moscow(booking.startsAt)}`, lead: ['Напоминаем о вашем мероприятии.'] };
  }
}

export function renderBookingEmail(kind: BookingEmailKind, role: RecipientRole, booking: BookingForEmail, data: BookingEmailData, link: string): RenderedEmail {
  const { subject: russianSubject, lead } = body(kind, role, booking, data);
  // Both languages, as in the body: the service does not know which its reader chose.
  const subject = `${russianSubject} / ${englishSubject(kind, role, data)}`;
  const greeting = role === 'RESIDENT' ? `Здравствуйте${booking.residentName ? `, ${booking.residentName}` : ''}!` : 'Здравствуйте!';
  const russian = [greeting, ...lead, details(booking).join('\n'), `Подробности: ${link}`, '— Открытый ДК, Московская область'];
  const english = englishParagraphs(kind, role, booking, data, link, total(booking));
  return bilingualEmail(subject, russian, english);
}
