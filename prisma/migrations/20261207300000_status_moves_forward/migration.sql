-- Statuses that lock data move forward only, whoever connects (issue 24; decision 020). The app's own
-- role cannot switch these triggers off; only the owner, who runs the migrations, can.

-- A week follows its state machine (services/engagements/timesheet-rules.ts): draft → submitted →
-- approved → locked → invoiced; a rejection sends a submitted week back to draft; the invoice run bills
-- approved or locked weeks. Nothing returns from approved, locked or invoiced, where its time is priced
-- and frozen (TimeEntry_drafts_only), and a week that left draft keeps its person, engagement and days.
CREATE FUNCTION "timesheet_moves_forward"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."status" <> 'draft' THEN
      RAISE EXCEPTION 'a timesheet that is % cannot be deleted', OLD."status" USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF NEW."status" IS DISTINCT FROM OLD."status"
     AND OLD."status"::text || ' > ' || NEW."status"::text NOT IN (
       'draft > submitted', 'submitted > approved', 'submitted > draft', 'approved > locked',
       'approved > invoiced', 'locked > invoiced') THEN
    RAISE EXCEPTION 'a timesheet cannot go from % to %', OLD."status", NEW."status" USING ERRCODE = 'check_violation';
  END IF;
  IF OLD."status" <> 'draft'
     AND (NEW."organizationId", NEW."engagementId", NEW."userId", NEW."weekStart")
         IS DISTINCT FROM (OLD."organizationId", OLD."engagementId", OLD."userId", OLD."weekStart") THEN
    RAISE EXCEPTION 'a timesheet that is % keeps its person, engagement and week', OLD."status"
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "Timesheet_moves_forward" BEFORE UPDATE OR DELETE ON "Timesheet"
  FOR EACH ROW EXECUTE FUNCTION "timesheet_moves_forward"();

-- A submitted attempt stays submitted, with when, by whom and its deadline: reopened, it would take
-- answers again (ExamAttemptItem_in_time asks only for 'active'). Its score may still change: a
-- corrected answer key re-scores it (services/training/correct-item-key.ts). It is never deleted.
CREATE FUNCTION "exam_attempt_stays_submitted"() RETURNS trigger AS $$
BEGIN
  IF OLD."status" <> 'submitted' THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'a submitted exam attempt cannot be deleted' USING ERRCODE = 'check_violation';
  END IF;
  IF (NEW."status", NEW."submittedAt", NEW."submittedBy", NEW."deadline", NEW."startedAt", NEW."examId",
      NEW."userId", NEW."organizationId")
     IS DISTINCT FROM (OLD."status", OLD."submittedAt", OLD."submittedBy", OLD."deadline", OLD."startedAt",
      OLD."examId", OLD."userId", OLD."organizationId") THEN
    RAISE EXCEPTION 'a submitted exam attempt stays as it was submitted' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "ExamAttempt_stays_submitted" BEFORE UPDATE OR DELETE ON "ExamAttempt"
  FOR EACH ROW EXECUTE FUNCTION "exam_attempt_stays_submitted"();
