-- AlterTable: e-mails about the staff (an operator's appointment) go through the outbox too, with no booking.
ALTER TABLE "mail_outbox" ALTER COLUMN "booking_id" DROP NOT NULL;
