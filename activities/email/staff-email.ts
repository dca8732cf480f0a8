import type { ActivityDeps } from '../deps';
import type { StaffEmailRequest } from '../../src/staff/staff-email-request';
import { bilingualEmail, type RenderedEmail } from './bilingual';
import type { BookingEmailRequest } from './kinds';
import { MessageClaimedError, sendThroughLedger } from './ledger';

/**
 * E-mails about the staff rather than a booking (src/staff/staff-email-request.ts), sent once
 * through the same ledger as the booking e-mails.
 */

/** What the outbox dispatcher hands over: a booking's e-mail, or the staff's. */
export type OutboxRequest = BookingEmailRequest | StaffEmailRequest;

export const isStaffEmailRequest = (request: OutboxRequest): request is StaffEmailRequest => request.kind === 'OPERATOR_APPOINTED';

export function renderOperatorAppointed(districtNames: string[], signInLink: string): RenderedEmail {
  const districts = districtNames.join(', ');
  const russian = [
    'Здравствуйте!',
    `Вас назначили оператором портала «Открытый ДК». Ваши округа: ${districts}.`,
    'Оператор звонит заявителям, принимает решения по дополнительным услугам, подтверждает и отклоняет брони в своих округах.',
    `Чтобы начать работу, войдите на портал с этим адресом почты: ${signInLink}. Пароль не нужен — мы пришлём код.`,
    'Если вы не ждали этого письма, сообщите администратору портала.',
    '— Открытый ДК, Московская область',
  ];
  const english = [
    'Hello!',
    `You have been appointed an operator of the Open DK portal. Your districts: ${districts}.`,
    'Operators phone the applicants, decide on extra services, and confirm or reject bookings in their districts.',
    `To start, sign in to the portal with this e-mail address: ${signInLink}. No password is needed: we will send you a code.`,
    'If you did not expect this e-mail, tell the portal’s administrator.',
  ];
  return bilingualEmail('Вы назначены оператором «Открытого ДК» / You are an Open DK operator', russian, english);
}

export function createStaffEmail({ prisma, mailer, config, metrics }: Pick<ActivityDeps, 'prisma' | 'mailer' | 'config' | 'metrics'>) {
  return {
    /** Sends the appointment e-mail; none to someone no longer an operator by the time it goes out. */
    async sendStaffEmail(request: StaffEmailRequest): Promise<{ sent: number; skipped: number }> {
      const [user, districts] = await Promise.all([
        prisma.user.findUnique({ where: { id: request.data.userId }, select: { email: true, role: true } }),
        prisma.district.findMany({ where: { id: { in: request.data.districtIds } }, select: { name: true }, orderBy: { name: 'asc' } }),
      ]);
      if (!user || user.role !== 'OPERATOR') return { sent: 0, skipped: 1 };
      const site = config.http.publicUrl.replace(/\/$/, '');
      const mail = renderOperatorAppointed(
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
