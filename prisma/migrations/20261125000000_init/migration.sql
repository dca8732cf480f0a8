-- Open DK initial schema. The Prisma part below is the schema engine's diff from an empty
-- database to prisma/schema.prisma. The hand-written part at the end adds what Prisma cannot
-- express: the slot-hold exclusion constraint and its CHECK. Never edit this file once it has
-- been applied anywhere: its checksum is recorded in _prisma_migrations.
-- No semicolons in comments: Prisma's driver adapters split scripts on every semicolon.

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "btree_gist";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('RESIDENT', 'OPERATOR', 'ADMIN');

-- CreateEnum
CREATE TYPE "AddOnCode" AS ENUM ('TECH_SUPPORT', 'EVENT_ORGANIZATION', 'CATERING', 'MUSIC_RECORDING', 'TURNKEY_DECOR');

-- CreateEnum
CREATE TYPE "RoomKind" AS ENUM ('BIG_HALL', 'SMALL_HALL', 'DANCE_CLASS', 'RECORDING_STUDIO', 'CONFERENCE_ROOM', 'EXHIBITION_HALL', 'CLASSROOM');

-- CreateEnum
CREATE TYPE "BookingStatus" AS ENUM ('AWAITING_CALLBACK', 'ADDONS', 'AWAITING_CONFIRMATION', 'CONFIRMED', 'COMPLETED', 'REJECTED', 'CANCELLED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "EventType" AS ENUM ('CONCERT', 'REHEARSAL', 'MEETING', 'CELEBRATION', 'CLASS', 'EXHIBITION', 'OTHER');

-- CreateEnum
CREATE TYPE "BookingAddOnStatus" AS ENUM ('REQUESTED', 'APPROVED', 'DECLINED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "EmailStatus" AS ENUM ('PENDING', 'SENT');

-- CreateTable
CREATE TABLE "districts" (
    "id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,

    CONSTRAINT "districts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "venues" (
    "id" INTEGER NOT NULL,
    "district_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "search_text" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "venues_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rooms" (
    "id" INTEGER NOT NULL,
    "venue_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "RoomKind" NOT NULL,
    "capacity" INTEGER NOT NULL,
    "area_sqm" INTEGER NOT NULL,
    "equipment" TEXT[],
    "opens_at_minute" INTEGER NOT NULL,
    "closes_at_minute" INTEGER NOT NULL,
    "open_weekdays" INTEGER[],
    "price_per_hour_kopecks" INTEGER NOT NULL,

    CONSTRAINT "rooms_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "addon_services" (
    "code" "AddOnCode" NOT NULL,
    "name_ru" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "description_ru" TEXT NOT NULL,
    "description_en" TEXT NOT NULL,

    CONSTRAINT "addon_services_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "venue_addons" (
    "venue_id" INTEGER NOT NULL,
    "code" "AddOnCode" NOT NULL,
    "price_kopecks" INTEGER NOT NULL,

    CONSTRAINT "venue_addons_pkey" PRIMARY KEY ("venue_id","code")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'RESIDENT',
    "full_name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operator_districts" (
    "user_id" UUID NOT NULL,
    "district_id" INTEGER NOT NULL,

    CONSTRAINT "operator_districts_pkey" PRIMARY KEY ("user_id","district_id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_codes" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "client_hash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),

    CONSTRAINT "login_codes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bookings" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "resident_id" UUID NOT NULL,
    "room_id" INTEGER NOT NULL,
    "venue_id" INTEGER NOT NULL,
    "district_id" INTEGER NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "event_title" TEXT NOT NULL,
    "event_type" "EventType" NOT NULL,
    "attendees" INTEGER NOT NULL,
    "contact_phone" TEXT NOT NULL,
    "comment" TEXT,
    "status" "BookingStatus" NOT NULL,
    "room_price_kopecks" INTEGER NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3),
    "sla_state" TEXT,
    "callback_attempts" INTEGER NOT NULL DEFAULT 0,
    "called_back_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bookings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "booking_events" (
    "id" BIGSERIAL NOT NULL,
    "booking_id" UUID NOT NULL,
    "event_key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "from_status" "BookingStatus",
    "to_status" "BookingStatus",
    "actor_role" TEXT NOT NULL,
    "actor_id" UUID,
    "note" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "booking_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slot_holds" (
    "id" UUID NOT NULL,
    "booking_id" UUID NOT NULL,
    "room_id" INTEGER NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),

    CONSTRAINT "slot_holds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "booking_addons" (
    "id" UUID NOT NULL,
    "booking_id" UUID NOT NULL,
    "code" "AddOnCode" NOT NULL,
    "quantity" INTEGER NOT NULL DEFAULT 1,
    "note" TEXT,
    "status" "BookingAddOnStatus" NOT NULL DEFAULT 'REQUESTED',
    "list_price_kopecks" INTEGER NOT NULL,
    "price_kopecks" INTEGER,
    "decision_note" TEXT,
    "decided_by_id" UUID,
    "ordered_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "booking_addons_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "email_ledger" (
    "id" UUID NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "booking_id" UUID,
    "kind" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "status" "EmailStatus" NOT NULL DEFAULT 'PENDING',
    "message_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "email_ledger_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "districts_name_key" ON "districts"("name");

-- CreateIndex
CREATE UNIQUE INDEX "districts_slug_key" ON "districts"("slug");

-- CreateIndex
CREATE INDEX "venues_district_id_idx" ON "venues"("district_id");

-- CreateIndex
CREATE INDEX "rooms_venue_id_idx" ON "rooms"("venue_id");

-- CreateIndex
CREATE INDEX "rooms_capacity_idx" ON "rooms"("capacity");

-- CreateIndex
CREATE INDEX "venue_addons_code_idx" ON "venue_addons"("code");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE INDEX "login_codes_email_created_at_idx" ON "login_codes"("email", "created_at");

-- CreateIndex
CREATE INDEX "login_codes_client_hash_created_at_idx" ON "login_codes"("client_hash", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "bookings_code_key" ON "bookings"("code");

-- CreateIndex
CREATE UNIQUE INDEX "bookings_workflow_id_key" ON "bookings"("workflow_id");

-- CreateIndex
CREATE INDEX "bookings_district_id_status_idx" ON "bookings"("district_id", "status");

-- CreateIndex
CREATE INDEX "bookings_resident_id_created_at_idx" ON "bookings"("resident_id", "created_at");

-- CreateIndex
CREATE INDEX "bookings_status_due_at_idx" ON "bookings"("status", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "bookings_resident_id_idempotency_key_key" ON "bookings"("resident_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "booking_events_booking_id_occurred_at_idx" ON "booking_events"("booking_id", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "booking_events_booking_id_event_key_key" ON "booking_events"("booking_id", "event_key");

-- CreateIndex
CREATE UNIQUE INDEX "slot_holds_booking_id_key" ON "slot_holds"("booking_id");

-- CreateIndex
CREATE INDEX "slot_holds_room_id_starts_at_idx" ON "slot_holds"("room_id", "starts_at");

-- CreateIndex
CREATE UNIQUE INDEX "booking_addons_booking_id_code_key" ON "booking_addons"("booking_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "email_ledger_dedupe_key_key" ON "email_ledger"("dedupe_key");

-- CreateIndex
CREATE INDEX "email_ledger_booking_id_idx" ON "email_ledger"("booking_id");

-- AddForeignKey
ALTER TABLE "venues" ADD CONSTRAINT "venues_district_id_fkey" FOREIGN KEY ("district_id") REFERENCES "districts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rooms" ADD CONSTRAINT "rooms_venue_id_fkey" FOREIGN KEY ("venue_id") REFERENCES "venues"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "venue_addons" ADD CONSTRAINT "venue_addons_venue_id_fkey" FOREIGN KEY ("venue_id") REFERENCES "venues"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "venue_addons" ADD CONSTRAINT "venue_addons_code_fkey" FOREIGN KEY ("code") REFERENCES "addon_services"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operator_districts" ADD CONSTRAINT "operator_districts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operator_districts" ADD CONSTRAINT "operator_districts_district_id_fkey" FOREIGN KEY ("district_id") REFERENCES "districts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_resident_id_fkey" FOREIGN KEY ("resident_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_room_id_fkey" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_venue_id_fkey" FOREIGN KEY ("venue_id") REFERENCES "venues"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_district_id_fkey" FOREIGN KEY ("district_id") REFERENCES "districts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "booking_events" ADD CONSTRAINT "booking_events_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slot_holds" ADD CONSTRAINT "slot_holds_room_id_fkey" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slot_holds" ADD CONSTRAINT "slot_holds_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "booking_addons" ADD CONSTRAINT "booking_addons_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Slot holds: two active holds of one room must not overlap. Ranges are half-open, so
-- [10:00, 11:00) and [11:00, 12:00) touch without overlapping. A released hold (active = false)
-- no longer blocks the slot. A violation raises SQLSTATE 23P01 (exclusion_violation), which the
-- application reports as "slot taken".
ALTER TABLE "slot_holds" ADD CONSTRAINT "slot_holds_ends_after_starts" CHECK ("ends_at" > "starts_at");

ALTER TABLE "slot_holds" ADD CONSTRAINT "slot_holds_no_overlap"
    EXCLUDE USING gist ("room_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
    WHERE ("active");
