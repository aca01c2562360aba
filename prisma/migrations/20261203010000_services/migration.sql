-- Professional services: engagements, rate cards, timesheets and time (docs/decisions/013).
ALTER TYPE "Role" ADD VALUE 'consultant';

CREATE TYPE "EngagementType" AS ENUM ('time_and_materials', 'fixed_price', 'retainer');
CREATE TYPE "EngagementStatus" AS ENUM ('draft', 'signed', 'active', 'completed', 'cancelled');
CREATE TYPE "TimesheetStatus" AS ENUM ('draft', 'submitted', 'approved', 'locked', 'invoiced');

CREATE TABLE "Engagement" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "type" "EngagementType" NOT NULL,
    "currency" TEXT NOT NULL,
    "startsOn" DATE NOT NULL,
    "endsOn" DATE,
    "leadId" TEXT NOT NULL,
    "budgetMinutes" INTEGER NOT NULL,
    "budgetMinor" BIGINT NOT NULL,
    "status" "EngagementStatus" NOT NULL DEFAULT 'draft',
    "statusReason" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Engagement_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Engagement_id_organizationId_key" ON "Engagement"("id", "organizationId");
CREATE INDEX "Engagement_organizationId_idx" ON "Engagement"("organizationId");
ALTER TABLE "Engagement" ADD CONSTRAINT "Engagement_organizationId_fkey" FOREIGN KEY ("organizationId")
  REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Engagement" ADD CONSTRAINT "Engagement_leadId_fkey" FOREIGN KEY ("leadId")
  REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Engagement" ADD CONSTRAINT "Engagement_currency_check"
  CHECK ("currency" IN ('USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'));
ALTER TABLE "Engagement" ADD CONSTRAINT "Engagement_budget_check" CHECK ("budgetMinutes" >= 0 AND "budgetMinor" >= 0);
ALTER TABLE "Engagement" ADD CONSTRAINT "Engagement_dates_check" CHECK ("endsOn" IS NULL OR "endsOn" >= "startsOn");

CREATE TABLE "EngagementMember" (
    "engagementId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "rateRole" TEXT NOT NULL,
    "costRateMinor" BIGINT NOT NULL,
    CONSTRAINT "EngagementMember_pkey" PRIMARY KEY ("engagementId", "userId")
);
CREATE INDEX "EngagementMember_userId_idx" ON "EngagementMember"("userId");
ALTER TABLE "EngagementMember" ADD CONSTRAINT "EngagementMember_engagementId_fkey" FOREIGN KEY ("engagementId")
  REFERENCES "Engagement"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "EngagementMember" ADD CONSTRAINT "EngagementMember_userId_fkey" FOREIGN KEY ("userId")
  REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "RateCard" (
    "id" TEXT NOT NULL,
    "rateRole" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "rateMinor" BIGINT NOT NULL,
    "effectiveFrom" DATE NOT NULL,
    "customerId" TEXT,
    "engagementId" TEXT,
    "scope" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RateCard_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "RateCard_rateRole_currency_effectiveFrom_scope_key" ON "RateCard"("rateRole", "currency", "effectiveFrom", "scope");
ALTER TABLE "RateCard" ADD CONSTRAINT "RateCard_rate_check" CHECK ("rateMinor" > 0);
-- The scope names what the rate applies to, so one rate per role, currency, day and scope is a key.
ALTER TABLE "RateCard" ADD CONSTRAINT "RateCard_scope_check" CHECK ("scope" = CASE
  WHEN "engagementId" IS NOT NULL THEN 'engagement:' || "engagementId"
  WHEN "customerId" IS NOT NULL THEN 'customer:' || "customerId"
  ELSE 'standard' END);

CREATE TABLE "Timesheet" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "engagementId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "weekStart" DATE NOT NULL,
    "status" "TimesheetStatus" NOT NULL DEFAULT 'draft',
    "rejectionReason" TEXT,
    "submittedAt" TIMESTAMP(3),
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "lockedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Timesheet_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Timesheet_engagementId_userId_weekStart_key" ON "Timesheet"("engagementId", "userId", "weekStart");
CREATE UNIQUE INDEX "Timesheet_id_organizationId_key" ON "Timesheet"("id", "organizationId");
CREATE INDEX "Timesheet_organizationId_status_idx" ON "Timesheet"("organizationId", "status");
ALTER TABLE "Timesheet" ADD CONSTRAINT "Timesheet_organizationId_fkey" FOREIGN KEY ("organizationId")
  REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Timesheet" ADD CONSTRAINT "Timesheet_engagementId_organizationId_fkey" FOREIGN KEY ("engagementId", "organizationId")
  REFERENCES "Engagement"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Timesheet" ADD CONSTRAINT "Timesheet_userId_fkey" FOREIGN KEY ("userId")
  REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Timesheet" ADD CONSTRAINT "Timesheet_week_check" CHECK (EXTRACT(ISODOW FROM "weekStart") = 1);
-- Never approved by the person whose week it is.
ALTER TABLE "Timesheet" ADD CONSTRAINT "Timesheet_four_eyes_check" CHECK ("decidedById" IS NULL OR "decidedById" <> "userId");

CREATE TABLE "TimeEntry" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "timesheetId" TEXT NOT NULL,
    "engagementId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "minutes" INTEGER NOT NULL,
    "task" TEXT NOT NULL,
    "rateMinor" BIGINT,
    "amountMinor" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TimeEntry_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "TimeEntry_timesheetId_idx" ON "TimeEntry"("timesheetId");
CREATE INDEX "TimeEntry_engagementId_day_idx" ON "TimeEntry"("engagementId", "day");
ALTER TABLE "TimeEntry" ADD CONSTRAINT "TimeEntry_organizationId_fkey" FOREIGN KEY ("organizationId")
  REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "TimeEntry" ADD CONSTRAINT "TimeEntry_timesheetId_organizationId_fkey" FOREIGN KEY ("timesheetId", "organizationId")
  REFERENCES "Timesheet"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "TimeEntry" ADD CONSTRAINT "TimeEntry_engagementId_organizationId_fkey" FOREIGN KEY ("engagementId", "organizationId")
  REFERENCES "Engagement"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "TimeEntry" ADD CONSTRAINT "TimeEntry_minutes_check" CHECK ("minutes" > 0 AND "minutes" <= 1440);

-- Time changes only while its week is a draft. Approval prices it (rate and amount, once); after
-- that nothing changes: a correction is an adjusting entry in a later week.
CREATE FUNCTION "time_entries_change_only_in_drafts"() RETURNS trigger AS $$
DECLARE
  sheet "TimesheetStatus";
BEGIN
  SELECT "status" INTO sheet FROM "Timesheet" WHERE "id" = COALESCE(NEW."timesheetId", OLD."timesheetId");
  IF sheet = 'draft' THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
  IF TG_OP = 'UPDATE' AND sheet = 'submitted' AND OLD."rateMinor" IS NULL
     AND (NEW."day", NEW."minutes", NEW."task", NEW."timesheetId", NEW."engagementId", NEW."organizationId")
         IS NOT DISTINCT FROM (OLD."day", OLD."minutes", OLD."task", OLD."timesheetId", OLD."engagementId", OLD."organizationId") THEN
    RETURN NEW; -- pricing at approval
  END IF;
  RAISE EXCEPTION 'time of a % timesheet cannot change', sheet USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "TimeEntry_drafts_only" BEFORE INSERT OR UPDATE OR DELETE ON "TimeEntry"
  FOR EACH ROW EXECUTE FUNCTION "time_entries_change_only_in_drafts"();
