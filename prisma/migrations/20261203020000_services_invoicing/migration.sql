-- The services invoice run (docs/decisions/013): each time entry is billed by one posting, once.
ALTER TYPE "JournalEntryKind" ADD VALUE 'services_invoice';
ALTER TYPE "LedgerAccountType" ADD VALUE 'services_revenue';

ALTER TABLE "TimeEntry" ADD COLUMN "invoiceEntryId" TEXT;
CREATE INDEX "TimeEntry_invoiceEntryId_idx" ON "TimeEntry"("invoiceEntryId");
ALTER TABLE "TimeEntry" ADD CONSTRAINT "TimeEntry_invoiceEntryId_organizationId_fkey"
  FOREIGN KEY ("invoiceEntryId", "organizationId") REFERENCES "JournalEntry"("id", "organizationId")
  ON DELETE RESTRICT ON UPDATE CASCADE;

-- Time changes only while its week is a draft; approval prices it once; a rate change may re-price
-- approved time no invoice has billed; the invoice run marks an approved or locked entry billed once.
-- Nothing else, ever: two runs cannot bill an entry twice, and invoiced time keeps its price.
CREATE OR REPLACE FUNCTION "time_entries_change_only_in_drafts"() RETURNS trigger AS $$
DECLARE
  sheet "TimesheetStatus";
BEGIN
  SELECT "status" INTO sheet FROM "Timesheet" WHERE "id" = COALESCE(NEW."timesheetId", OLD."timesheetId");
  IF sheet = 'draft' AND (TG_OP <> 'UPDATE' OR NEW."invoiceEntryId" IS NULL) THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
  IF TG_OP = 'UPDATE'
     AND (NEW."day", NEW."minutes", NEW."task", NEW."timesheetId", NEW."engagementId", NEW."organizationId")
         IS NOT DISTINCT FROM (OLD."day", OLD."minutes", OLD."task", OLD."timesheetId", OLD."engagementId", OLD."organizationId") THEN
    IF sheet = 'submitted' AND OLD."rateMinor" IS NULL AND OLD."invoiceEntryId" IS NULL
       AND NEW."invoiceEntryId" IS NULL THEN
      RETURN NEW; -- pricing at approval
    END IF;
    IF sheet IN ('approved', 'locked') AND OLD."invoiceEntryId" IS NULL AND NEW."invoiceEntryId" IS NOT NULL
       AND (NEW."rateMinor", NEW."amountMinor") IS NOT DISTINCT FROM (OLD."rateMinor", OLD."amountMinor") THEN
      RETURN NEW; -- billed by the invoice run
    END IF;
    IF sheet IN ('approved', 'locked') AND OLD."invoiceEntryId" IS NULL AND NEW."invoiceEntryId" IS NULL
       AND NEW."rateMinor" IS NOT NULL AND NEW."amountMinor" IS NOT NULL THEN
      RETURN NEW; -- re-priced after a rate change, when the services lead agrees, before any invoice
    END IF;
  END IF;
  RAISE EXCEPTION 'time of a % timesheet cannot change', sheet USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
