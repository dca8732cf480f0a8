import type { MailAttachment } from '../../src/mail/mailer';
import type { ActivityDeps } from '../deps';
import { renderIcs } from './ics';
import { RECIPIENTS, type BookingEmailRequest, type RecipientRole } from './kinds';
import { MailNotSentError, MessageClaimedError, sendThroughLedger, withdrawUnsent } from './ledger';
import { isOvertaken } from './obsolete';
import { renderBookingEmail, type BookingForEmail } from './templates';

/** The server answered and refused this recipient (nodemailer's EENVELOPE, e.g. 550 no such mailbox). */
const refusedRecipient = (error: unknown) => error instanceof MailNotSentError && error.summary.startsWith('EENVELOPE');

/** One message of a booking e-mail in the ledger: the booking, the kind, its key, then the recipient (role and address; '' for all of them). */
const bookingDedupeKey = (bookingId: string, request: Pick<BookingEmailRequest, 'kind' | 'key'>, recipient: string) =>
  `${[bookingId, request.kind, request.key ?? '-'].join(':')}:${recipient}`;

function addressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}

export function createEmailActivities({ prisma, mailer, config, metrics }: ActivityDeps) {
  /** Operators come with the booking's district (one statement); administrators are read apart, for the rare kinds that need them. */
  async function recipients(role: RecipientRole, booking: { resident: { email: string }; district: { operators: { user: { email: string; role: string } }[] } }): Promise<string[]> {
    if (role === 'RESIDENT') return [booking.resident.email];
    if (role === 'OPERATOR') {
      return booking.district.operators.flatMap(({ user }) => (user.role === 'OPERATOR' ? [user.email] : [])).sort();
    }
    const admins = await prisma.user.findMany({ where: { role: 'ADMIN' }, select: { email: true }, orderBy: { email: 'asc' } });
    return admins.map((user) => user.email);
  }

  return {
    /**
     * Renders and sends one kind of booking e-mail to everyone who should get it. Everything
     * personal is read here from the database; each (booking, kind, key, recipient) goes through
     * the ledger, so a retried activity sends nothing twice.
     */
    async sendBookingEmail(request: BookingEmailRequest): Promise<{ sent: number; skipped: number }> {
      const row = await prisma.booking.findUniqueOrThrow({
        where: { id: request.bookingId },
        // Only what the e-mails show (a venue's description, say, is long and never in one).
        select: {
          id: true,
          code: true,
          eventTitle: true,
          startsAt: true,
          endsAt: true,
          roomPrice: true,
          status: true,
          dueAt: true,
          room: { select: { name: true } },
          venue: { select: { name: true, address: true } },
          district: { select: { name: true, operators: { select: { user: { select: { email: true, role: true } } } } } },
          resident: { select: { email: true, fullName: true } },
          addOns: { orderBy: { orderedAt: 'asc' }, select: { code: true, status: true, price: true } },
        },
      });
      // Sent by nobody once the booking has moved past what it says (retries come up to hours later).
      if (isOvertaken(request, row.status)) {
        const messages = [];
        for (const role of RECIPIENTS[request.kind]) {
          for (const to of await recipients(role, row)) messages.push({ dedupeKey: bookingDedupeKey(row.id, request, `${role}:${to.toLowerCase()}`), recipient: to });
        }
        const keyPrefix = bookingDedupeKey(row.id, request, '');
        const heldForMs = await withdrawUnsent(prisma, { bookingId: row.id, kind: request.kind, keyPrefix, messages });
        // An attempt still holds one: settled when it is done or its claim runs out.
        if (heldForMs > 0) throw new MessageClaimedError(keyPrefix, heldForMs + 1_000);
        return { sent: 0, skipped: 0 };
      }
      const booking: BookingForEmail = {
        id: row.id,
        code: row.code,
        eventTitle: row.eventTitle,
        startsAt: row.startsAt,
        endsAt: row.endsAt,
        roomName: row.room.name,
        venueName: row.venue.name,
        venueAddress: row.venue.address,
        districtName: row.district.name,
        residentName: row.resident.fullName,
        roomPrice: row.roomPrice,
        addOns: row.addOns.map((line) => ({ code: line.code, status: line.status, price: line.price })),
        status: row.status,
        dueAt: row.dueAt,
      };
      const data = request.data ?? {};
      // The booking's page as each reader opens it: residents in their account, staff in the operator pages.
      const site = config.http.publicUrl.replace(/\/$/, '');
      const linkFor = (role: RecipientRole) => `${site}/${role === 'RESIDENT' ? 'account' : 'operator'}/bookings/${row.id}`;
      let sent = 0;
      let skipped = 0;
      const failures: unknown[] = [];
      for (const role of RECIPIENTS[request.kind]) {
        for (const to of await recipients(role, row)) {
          const link = linkFor(role);
          const rendered = renderBookingEmail(request.kind, role, booking, data, link);
          const attachments: MailAttachment[] = [];
          const invitation = role === 'RESIDENT' && (request.kind === 'CONFIRMED' || (request.kind === 'CANCELLED' && data.wasConfirmed));
          if (invitation) {
            const method = request.kind === 'CONFIRMED' ? 'REQUEST' : 'CANCEL';
            const ics = renderIcs({
              bookingId: row.id,
              method,
              sequence: method === 'REQUEST' ? 0 : 1,
              startsAt: row.startsAt,
              endsAt: row.endsAt,
              stamp: new Date(),
              summary: row.eventTitle,
              location: `${row.venue.name}, ${row.room.name}, ${row.venue.address}`,
              description: `Заявка ${row.code} / Application ${row.code}. ${link}`,
              organizerEmail: addressOf(config.mail.from),
              attendeeEmail: to,
            });
            attachments.push({ filename: method === 'REQUEST' ? 'invite.ics' : 'cancel.ics', content: ics, contentType: `text/calendar; charset=utf-8; method=${method}` });
          }
          let outcome;
          try {
            outcome = await sendThroughLedger(prisma, mailer, config.mail.from, {
              dedupeKey: bookingDedupeKey(row.id, request, `${role}:${to.toLowerCase()}`),
              bookingId: row.id,
              kind: request.kind,
              mail: { to, ...rendered, attachments: attachments.length ? attachments : undefined },
            });
          } catch (error) {
            // Another attempt sending it is no failure of the mail server (retried once its claim runs out).
            if (!(error instanceof MessageClaimedError)) metrics?.email?.failed(request.kind);
            // A refusal of this one address (or its claim by another attempt): the others are still
            // tried, or a mailbox that refuses everything would keep every recipient after it from
            // hearing, on every retry. A server that is away or broken stops the round at once.
            if (!(error instanceof MessageClaimedError || refusedRecipient(error))) throw error;
            failures.push(error);
            continue;
          }
          if (outcome === 'sent') {
            sent += 1;
            metrics?.email?.sent(request.kind);
          } else skipped += 1;
        }
      }
      // The retry sends only what is missing. A refusal first: it sets the backoff; a claim only says "wait for the other attempt".
      const failure = failures.find((error) => !(error instanceof MessageClaimedError)) ?? failures[0];
      if (failure) throw failure;
      return { sent, skipped };
    },
  };
}
