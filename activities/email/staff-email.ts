import type { ActivityDeps } from '../deps';
import type { StaffEmailKind, StaffEmailRequest } from '../../src/staff/staff-email-request';
import { bilingualEmail, type RenderedEmail } from './bilingual';
import type { BookingEmailRequest } from './kinds';
import { MessageClaimedError, sendThroughLedger } from './ledger';

/**
 * E-mails about the staff rather than a booking (src/staff/staff-email-request.ts), sent once
 * through the same ledger as the booking e-mails.
 */

/** What the outbox dispatcher hands over: a booking's e-mail, or the staff's. */
export type OutboxRequest = BookingEmailRequest | StaffEmailRequest;

export const isStaffEmailRequest = (request: OutboxRequest): request is StaffEmailRequest => !('bookingId' in request);

/** Russian first, then English, like every e-mail of the service; `signInLink` leads to the operator's pages. */
export function renderStaffEmail(kind: StaffEmailKind, districtNames: string[], signInLink: string): RenderedEmail {
  const districts = districtNames.join(', ');
  const sign = '— Открытый ДК, Московская область';
  const unexpected = ['Если вы не ждали этого письма, сообщите администратору портала.', 'If you did not expect this e-mail, tell the portal’s administrator.'];
  switch (kind) {
    case 'OPERATOR_APPOINTED':
      return bilingualEmail(
        'Вы назначены оператором «Открытого ДК» / You are an Open DK operator',
        [
          'Здравствуйте!',
          `Вас назначили оператором портала «Открытый ДК». Ваши округа: ${districts}.`,
          'Оператор звонит заявителям, принимает решения по дополнительным услугам, подтверждает и отклоняет брони в своих округах.',
          `Чтобы начать работу, войдите на портал с этим адресом почты: ${signInLink}. Пароль не нужен — мы пришлём код.`,
          unexpected[0],
          sign,
        ],
        [
          'Hello!',
          `You have been appointed an operator of the Open DK portal. Your districts: ${districts}.`,
          'Operators phone the applicants, decide on extra services, and confirm or reject bookings in their districts.',
          `To start, sign in to the portal with this e-mail address: ${signInLink}. No password is needed: we will send you a code.`,
          unexpected[1],
        ],
      );
    case 'OPERATOR_DISTRICTS_CHANGED':
      return bilingualEmail(
        'Ваши округа в «Открытом ДК» изменены / Your Open DK districts changed',
        ['Здравствуйте!', `Администратор изменил округа, в которых вы работаете оператором. Теперь это: ${districts}.`, `Заявки этих округов — на странице оператора: ${signInLink}.`, unexpected[0], sign],
        ['Hello!', `An administrator changed the districts you work as an operator. They are now: ${districts}.`, `Their applications are on the operator's page: ${signInLink}.`, unexpected[1]],
      );
    case 'OPERATOR_DISMISSED':
      return bilingualEmail(
        'Вы больше не оператор «Открытого ДК» / You are no longer an Open DK operator',
        [
          'Здравствуйте!',
          'Администратор снял с вас роль оператора портала «Открытый ДК». Заявки ваших бывших округов остаются у других операторов.',
          'Ваши собственные заявки, если они есть, по-прежнему в разделе «Мои заявки».',
          unexpected[0],
          sign,
        ],
        [
          'Hello!',
          'An administrator has taken the operator role of the Open DK portal from you. The applications of your former districts stay with the other operators.',
          'Your own applications, if any, are still under “My applications”.',
          unexpected[1],
        ],
      );
  }
}

/** Whether the person's role still says what the e-mail says (ADMIN_EMAILS can change it outside the journal). */
const roleAgrees = (kind: StaffEmailKind, role: string) => (kind === 'OPERATOR_DISMISSED' ? role !== 'OPERATOR' : role === 'OPERATOR');

export function createStaffEmail({ prisma, mailer, config, metrics }: Pick<ActivityDeps, 'prisma' | 'mailer' | 'config' | 'metrics'>) {
  return {
    /**
     * Sends one staff e-mail, only while its change is the person's latest (a change of name alone
     * aside): one overtaken before it went out (dismissed before the appointment's e-mail, say)
     * would tell them something no longer true, and the later change's own e-mail follows.
     */
    async sendStaffEmail(request: StaffEmailRequest): Promise<{ sent: number; skipped: number }> {
      const [user, districts, [latest]] = await Promise.all([
        prisma.user.findUnique({ where: { id: request.data.userId }, select: { email: true, role: true } }),
        prisma.district.findMany({ where: { id: { in: request.data.districtIds } }, select: { name: true }, orderBy: { name: 'asc' } }),
        // The journal keeps both district lists sorted, so a name-only change has them equal.
        prisma.$queryRaw<{ id: string }[]>`
          SELECT id::text FROM staff_changes
           WHERE subject_id = ${request.data.userId}::uuid AND NOT (kind = 'CHANGED' AND district_ids = previous_district_ids)
           ORDER BY occurred_at DESC, id DESC LIMIT 1`,
      ]);
      if (!user || latest?.id !== request.key || !roleAgrees(request.kind, user.role)) return { sent: 0, skipped: 1 };
      const site = config.http.publicUrl.replace(/\/$/, '');
      const mail = renderStaffEmail(
        request.kind,
        districts.map((district) => district.name),
        `${site}/signin?next=${encodeURIComponent('/operator')}`,
      );
      const outcome = await sendThroughLedger(prisma, mailer, config.mail.from, {
        dedupeKey: ['staff', request.key, request.kind, user.email].join(':'),
        bookingId: null,
        kind: request.kind,
        mail: { to: user.email, ...mail },
      }).catch((error: unknown) => {
        if (!(error instanceof MessageClaimedError)) metrics?.email?.failed(request.kind);
        throw error;
      });
      if (outcome !== 'sent') return { sent: 0, skipped: 1 };
      metrics?.email?.sent(request.kind);
      return { sent: 1, skipped: 0 };
    },
  };
}

/** The dispatcher's one sender: booking e-mails by the booking code, staff e-mails here. */
export function outboxSender(deps: Pick<ActivityDeps, 'prisma' | 'mailer' | 'config' | 'metrics'>, sendBookingEmail: (request: BookingEmailRequest) => Promise<unknown>) {
  const { sendStaffEmail } = createStaffEmail(deps);
  return (request: OutboxRequest) => (isStaffEmailRequest(request) ? sendStaffEmail(request) : sendBookingEmail(request));
}
