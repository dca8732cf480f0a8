-- AlterTable: while an attempt is handing a message to the mail server, no other attempt may
-- (an e-mail activity's retry, another worker's outbox claim); the claim runs out by itself if
-- the attempt dies. The token names the attempt, so only it releases its claim.
ALTER TABLE "email_ledger" ADD COLUMN "claimed_until" TIMESTAMPTZ(3);
ALTER TABLE "email_ledger" ADD COLUMN "claim_token" UUID;
