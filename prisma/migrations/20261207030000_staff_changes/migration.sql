-- CreateEnum
CREATE TYPE "StaffChangeKind" AS ENUM ('APPOINTED', 'CHANGED', 'DISMISSED');

-- CreateTable: administrators' changes to operators, newest read first.
CREATE TABLE "staff_changes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" "StaffChangeKind" NOT NULL,
    "subject_id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "district_ids" INTEGER[],
    "previous_district_ids" INTEGER[],
    "name_changed" BOOLEAN NOT NULL DEFAULT false,
    -- clock_timestamp(), not the transaction's start: written after the person's row lock, so one
    -- person's entries are in the order their changes took effect.
    "occurred_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "staff_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "staff_changes_occurred_at_id_idx" ON "staff_changes"("occurred_at" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "staff_changes" ADD CONSTRAINT "staff_changes_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "staff_changes" ADD CONSTRAINT "staff_changes_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
