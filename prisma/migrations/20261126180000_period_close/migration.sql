-- CreateTable
CREATE TABLE "LedgerPeriodClose" (
    "period" TEXT NOT NULL,
    "closedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedById" TEXT NOT NULL,
    "settlements" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "LedgerPeriodClose_pkey" PRIMARY KEY ("period")
);

-- A closed month accepts no new postings (hand-written; see docs/decisions/006).
CREATE FUNCTION "journal_entry_in_open_period"() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "LedgerPeriodClose" WHERE "period" = to_char(NEW."effectiveDate", 'YYYY-MM')) THEN
    RAISE EXCEPTION 'The books for % are closed; date the posting in the open period', to_char(NEW."effectiveDate", 'YYYY-MM');
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "JournalEntry_open_period" BEFORE INSERT ON "JournalEntry"
  FOR EACH ROW EXECUTE FUNCTION "journal_entry_in_open_period"();
