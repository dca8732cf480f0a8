-- CreateIndex: the statistics select bookings by submission time (a range of up to three years);
-- without it every figure scanned the whole table.
CREATE INDEX "bookings_created_at_idx" ON "bookings"("created_at");
