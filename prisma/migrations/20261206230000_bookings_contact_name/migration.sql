-- AddColumn: whom the operator asks for on the call-back (optional; bookings before it have none).
ALTER TABLE "bookings" ADD COLUMN "contact_name" TEXT;
