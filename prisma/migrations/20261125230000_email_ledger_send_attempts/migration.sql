-- AlterTable: how many times the message was handed to the mail server (more than 1 only after
-- an attempt that died before the ledger's SENT mark: the only way a recipient gets it twice).
ALTER TABLE "email_ledger" ADD COLUMN "send_attempts" INTEGER NOT NULL DEFAULT 0;
