-- A rate change may re-price approved time not yet invoiced, when the services lead asks for it
-- (decision 013); invoiced time never changes.
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
      RETURN NEW; -- re-priced after a rate change, before any invoice
    END IF;
  END IF;
  RAISE EXCEPTION 'time of a % timesheet cannot change', sheet USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
