import type { ActivityDeps } from '../deps';
import { STAFF_EMAIL_OF_CHANGE, type StaffEmailKind, type StaffEmailRequest } from '../../src/staff/staff-email-request';
import { bilingualEmail, type RenderedEmail } from './bilingual';
import type { BookingEmailRequest } from './kinds';
import { MessageClaimedError, sendThroughLedger, withdrawUnsent } from './ledger';

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

/** One ledger entry per change and kind of e-mail, whichever way it is worded when it goes out. */
const STAFF_KEY_PREFIX = 'staff';
const staffDedupeKey = (changeId: string, kind: StaffEmailKind, email: string) => [STAFF_KEY_PREFIX, changeId, kind, email].join(':');

export function createStaffEmail({ prisma, mailer, config, metrics }: Pick<ActivityDeps, 'prisma' | 'mailer' | 'config' | 'metrics'>) {
  /**
   * Whether the person has heard of their latest appointment in the journal: an e-mail about it
   * or about a change of districts since (other than the one about to go) was handed over or is
   * being handed over now. An operator appointed without the journal (the seed's staff) has no
   * appointment there and counts as told. One query: the ledger keys are made in SQL as
   * staffDedupeKey makes them, and its claims are read by PostgreSQL's clock, which wrote them.
   */
  async function heardOfAppointment(userId: string, currentChangeId: string): Promise<boolean> {
    const [{ told }] = await prisma.$queryRaw<{ told: boolean }[]>`
      WITH appointment AS (
        SELECT occurred_at, id FROM staff_changes WHERE subject_id = ${userId}::uuid AND kind = 'APPOINTED' ORDER BY occurred_at DESC, id DESC LIMIT 1)
      SELECT NOT EXISTS (SELECT 1 FROM appointment) OR EXISTS (
        SELECT 1
          FROM staff_changes change
          JOIN appointment ON (change.occurred_at, change.id) >= (appointment.occurred_at, appointment.id)
          JOIN users person ON person.id = change.subject_id
          JOIN email_ledger ledger
            ON ledger.dedupe_key = concat_ws(':', ${STAFF_KEY_PREFIX}::text, change.id::text, ${JSON.stringify(STAFF_EMAIL_OF_CHANGE)}::jsonb ->> change.kind::text, person.email)
         WHERE change.subject_id = ${userId}::uuid AND change.kind <> 'DISMISSED' AND change.id <> ${currentChangeId}::uuid
           AND (ledger.status = 'SENT' OR ledger.claimed_until > now())) AS told`;
    return told;
  }

  return {
    /**
     * Sends one staff e-mail, only while its change is the person's latest (a change of name alone
     * aside): one overtaken before it went out (dismissed before the appointment's e-mail, say)
     * would tell them something no longer true, and the later change's own e-mail follows.
     * A change of districts whose appointment's e-mail was overtaken that way is told as the
     * appointment: the person has not yet heard they are an operator, nor how to sign in.
     */
    async sendStaffEmail(request: StaffEmailRequest): Promise<{ sent: number; skipped: number }> {
      const [user, districts, [latest], heard] = await Promise.all([
        prisma.user.findUnique({ where: { id: request.data.userId }, select: { email: true, role: true } }),
        prisma.district.findMany({ where: { id: { in: request.data.districtIds } }, select: { name: true }, orderBy: { name: 'asc' } }),
        // The journal keeps both district lists sorted, so a name-only change has them equal.
        prisma.$queryRaw<{ id: string }[]>`
          SELECT id::text FROM staff_changes
           WHERE subject_id = ${request.data.userId}::uuid AND NOT (kind = 'CHANGED' AND district_ids = previous_district_ids)
           ORDER BY occurred_at DESC, id DESC LIMIT 1`,
        request.kind === 'OPERATOR_DISTRICTS_CHANGED' ? heardOfAppointment(request.data.userId, request.key) : Promise.resolve(true),
      ]);
      if (!user || latest?.id !== request.key || !roleAgrees(request.kind, user.role)) {
        const dedupeKey = staffDedupeKey(request.key, request.kind, user?.email ?? '');
        const messages = user ? [{ dedupeKey, recipient: user.email }] : [];
        const heldForMs = await withdrawUnsent(prisma, { bookingId: null, kind: request.kind, keyPrefix: dedupeKey, messages });
        // An attempt still holds it: settled when it is done or its claim runs out.
        if (heldForMs > 0) throw new MessageClaimedError(dedupeKey, heldForMs + 1_000);
        return { sent: 0, skipped: 1 };
      }
      const toldAs = heard ? request.kind : 'OPERATOR_APPOINTED';
      const site = config.http.publicUrl.replace(/\/$/, '');
      const mail = renderStaffEmail(
        toldAs,
        districts.map((district) => district.name),
        `${site}/signin?next=${encodeURIComponent('/operator')}`,
      );
      const outcome = await sendThroughLedger(prisma, mailer, config.mail.from, {
        dedupeKey: staffDedupeKey(request.key, request.kind, user.email),
        bookingId: null,
        kind: toldAs,
        mail: { to: user.email, ...mail },
      }).catch((error: unknown) => {
        if (!(error instanceof MessageClaimedError)) metrics?.email?.failed(toldAs);
        throw error;
      });
      if (outcome !== 'sent') return { sent: 0, skipped: 1 };
      metrics?.email?.sent(toldAs);
      return { sent: 1, skipped: 0 };
    },
  };
}

/** The dispatcher's one sender: booking e-mails by the booking code, staff e-mails here. */
export function outboxSender(deps: Pick<ActivityDeps, 'prisma' | 'mailer' | 'config' | 'metrics'>, sendBookingEmail: (request: BookingEmailRequest) => Promise<unknown>) {
  const { sendStaffEmail } = createStaffEmail(deps);
  return (request: OutboxRequest) => (isStaffEmailRequest(request) ? sendStaffEmail(request) : sendBookingEmail(request));
}
