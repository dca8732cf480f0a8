-- AlterEnum: an e-mail its booking or staff change overtook before it was known to be handed
-- over (an attempt that died mid-send left its row PENDING). Nobody will send it any more; its
-- row says so instead of waiting forever.
ALTER TYPE "EmailStatus" ADD VALUE 'WITHDRAWN';
