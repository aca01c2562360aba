-- Milestones, expenses with receipts, change orders and statements of work (docs/decisions/014).
CREATE TYPE "MilestoneStatus" AS ENUM ('planned', 'delivered', 'accepted');
CREATE TYPE "ExpenseStatus" AS ENUM ('submitted', 'approved', 'rejected');
CREATE TYPE "ChangeOrderStatus" AS ENUM ('proposed', 'approved', 'declined');

ALTER TABLE "Engagement" ADD COLUMN "sowEnvelopeId" TEXT;
ALTER TABLE "Engagement" ADD COLUMN "sowSha256" TEXT;
ALTER TABLE "Engagement" ADD COLUMN "sowSignedPdf" BYTEA;
ALTER TABLE "Engagement" ADD COLUMN "sowCustomerSignerId" TEXT;
ALTER TABLE "Engagement" ADD COLUMN "sowGgmlSignerId" TEXT;
ALTER TABLE "Engagement" ADD COLUMN "acceptanceDays" INTEGER NOT NULL DEFAULT 10;
CREATE UNIQUE INDEX "Engagement_sowEnvelopeId_key" ON "Engagement"("sowEnvelopeId");
ALTER TABLE "Engagement" ADD CONSTRAINT "Engagement_acceptance_days_check"
  CHECK ("acceptanceDays" BETWEEN 1 AND 90);

CREATE TABLE "EngagementMilestone" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "engagementId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "dueOn" DATE,
    "status" "MilestoneStatus" NOT NULL DEFAULT 'planned',
    "deliveredAt" TIMESTAMP(3),
    "deliveredById" TEXT,
    "acceptBy" DATE,
    "acceptedAt" TIMESTAMP(3),
    "acceptedById" TEXT,
    "rejectionReason" TEXT,
    "invoiceEntryId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EngagementMilestone_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "EngagementMilestone_engagementId_seq_key" ON "EngagementMilestone"("engagementId", "seq");
CREATE INDEX "EngagementMilestone_organizationId_status_idx" ON "EngagementMilestone"("organizationId", "status");
CREATE INDEX "EngagementMilestone_invoiceEntryId_idx" ON "EngagementMilestone"("invoiceEntryId");
ALTER TABLE "EngagementMilestone" ADD CONSTRAINT "EngagementMilestone_organizationId_fkey"
  FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "EngagementMilestone" ADD CONSTRAINT "EngagementMilestone_engagementId_organizationId_fkey"
  FOREIGN KEY ("engagementId", "organizationId") REFERENCES "Engagement"("id", "organizationId")
  ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "EngagementMilestone" ADD CONSTRAINT "EngagementMilestone_invoiceEntryId_organizationId_fkey"
  FOREIGN KEY ("invoiceEntryId", "organizationId") REFERENCES "JournalEntry"("id", "organizationId")
  ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "EngagementMilestone" ADD CONSTRAINT "EngagementMilestone_amount_check" CHECK ("amountMinor" > 0);
ALTER TABLE "EngagementMilestone" ADD CONSTRAINT "EngagementMilestone_state_check" CHECK (CASE "status"
  WHEN 'planned' THEN "deliveredAt" IS NULL AND "acceptedAt" IS NULL AND "invoiceEntryId" IS NULL
  WHEN 'delivered' THEN "deliveredAt" IS NOT NULL AND "acceptBy" IS NOT NULL AND "acceptedAt" IS NULL
    AND "invoiceEntryId" IS NULL
  ELSE "deliveredAt" IS NOT NULL AND "acceptedAt" IS NOT NULL END);

-- A milestone's amount is fixed once it is delivered; acceptance happens once; the invoice run marks an
-- accepted milestone billed once and never unmarks it.
CREATE FUNCTION "milestones_bill_once"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."status" <> 'planned' THEN
      RAISE EXCEPTION 'a % milestone cannot be deleted', OLD."status" USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD."status" = 'accepted' AND (NEW."status", NEW."amountMinor", NEW."acceptedAt", NEW."acceptedById")
     IS DISTINCT FROM (OLD."status", OLD."amountMinor", OLD."acceptedAt", OLD."acceptedById") THEN
    RAISE EXCEPTION 'an accepted milestone cannot change' USING ERRCODE = 'restrict_violation';
  END IF;
  IF OLD."invoiceEntryId" IS NOT NULL AND NEW."invoiceEntryId" IS DISTINCT FROM OLD."invoiceEntryId" THEN
    RAISE EXCEPTION 'a billed milestone stays billed' USING ERRCODE = 'restrict_violation';
  END IF;
  IF OLD."status" <> 'planned' AND NEW."amountMinor" <> OLD."amountMinor" THEN
    RAISE EXCEPTION 'a delivered milestone keeps its amount' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "EngagementMilestone_bill_once" BEFORE UPDATE OR DELETE ON "EngagementMilestone"
  FOR EACH ROW EXECUTE FUNCTION "milestones_bill_once"();

CREATE TABLE "EngagementExpense" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "engagementId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "description" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "status" "ExpenseStatus" NOT NULL DEFAULT 'submitted',
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "rejectionReason" TEXT,
    "receiptFilename" TEXT NOT NULL,
    "receiptContentType" TEXT NOT NULL,
    "receiptBytes" BYTEA NOT NULL,
    "receiptSha256" TEXT NOT NULL,
    "invoiceEntryId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EngagementExpense_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "EngagementExpense_engagementId_status_idx" ON "EngagementExpense"("engagementId", "status");
CREATE INDEX "EngagementExpense_organizationId_idx" ON "EngagementExpense"("organizationId");
CREATE INDEX "EngagementExpense_invoiceEntryId_idx" ON "EngagementExpense"("invoiceEntryId");
ALTER TABLE "EngagementExpense" ADD CONSTRAINT "EngagementExpense_organizationId_fkey"
  FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "EngagementExpense" ADD CONSTRAINT "EngagementExpense_engagementId_organizationId_fkey"
  FOREIGN KEY ("engagementId", "organizationId") REFERENCES "Engagement"("id", "organizationId")
  ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "EngagementExpense" ADD CONSTRAINT "EngagementExpense_userId_fkey"
  FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "EngagementExpense" ADD CONSTRAINT "EngagementExpense_invoiceEntryId_organizationId_fkey"
  FOREIGN KEY ("invoiceEntryId", "organizationId") REFERENCES "JournalEntry"("id", "organizationId")
  ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "EngagementExpense" ADD CONSTRAINT "EngagementExpense_amount_check"
  CHECK ("amountMinor" > 0 AND "amountMinor" <= 10000000000);
ALTER TABLE "EngagementExpense" ADD CONSTRAINT "EngagementExpense_receipt_check"
  CHECK ("receiptContentType" IN ('image/png', 'image/jpeg', 'application/pdf'));
ALTER TABLE "EngagementExpense" ADD CONSTRAINT "EngagementExpense_four_eyes_check"
  CHECK ("decidedById" IS NULL OR "decidedById" <> "userId");
ALTER TABLE "EngagementExpense" ADD CONSTRAINT "EngagementExpense_billed_check"
  CHECK ("invoiceEntryId" IS NULL OR "status" = 'approved');

-- An expense is decided once (submitted → approved or rejected), keeps its facts, and is billed once.
CREATE FUNCTION "expenses_decided_once"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'expenses are never deleted' USING ERRCODE = 'restrict_violation';
  END IF;
  IF (NEW."engagementId", NEW."userId", NEW."day", NEW."description", NEW."amountMinor", NEW."receiptSha256")
     IS DISTINCT FROM (OLD."engagementId", OLD."userId", OLD."day", OLD."description", OLD."amountMinor", OLD."receiptSha256")
     OR (OLD."status" <> 'submitted' AND NEW."status" <> OLD."status")
     OR (OLD."invoiceEntryId" IS NOT NULL AND NEW."invoiceEntryId" IS DISTINCT FROM OLD."invoiceEntryId") THEN
    RAISE EXCEPTION 'a % expense cannot change that way', OLD."status" USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "EngagementExpense_decided_once" BEFORE UPDATE OR DELETE ON "EngagementExpense"
  FOR EACH ROW EXECUTE FUNCTION "expenses_decided_once"();

CREATE TABLE "EngagementChangeOrder" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "engagementId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "budgetMinutes" INTEGER NOT NULL,
    "budgetMinor" BIGINT NOT NULL,
    "endsOn" DATE,
    "scope" TEXT NOT NULL,
    "status" "ChangeOrderStatus" NOT NULL DEFAULT 'proposed',
    "proposedById" TEXT NOT NULL,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "declineReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EngagementChangeOrder_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "EngagementChangeOrder_engagementId_version_key"
  ON "EngagementChangeOrder"("engagementId", "version");
CREATE INDEX "EngagementChangeOrder_organizationId_idx" ON "EngagementChangeOrder"("organizationId");
ALTER TABLE "EngagementChangeOrder" ADD CONSTRAINT "EngagementChangeOrder_organizationId_fkey"
  FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "EngagementChangeOrder" ADD CONSTRAINT "EngagementChangeOrder_engagementId_organizationId_fkey"
  FOREIGN KEY ("engagementId", "organizationId") REFERENCES "Engagement"("id", "organizationId")
  ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "EngagementChangeOrder" ADD CONSTRAINT "EngagementChangeOrder_budget_check"
  CHECK ("budgetMinutes" >= 0 AND "budgetMinor" >= 0 AND "version" >= 1);
-- One proposal open at a time per engagement.
CREATE UNIQUE INDEX "EngagementChangeOrder_one_open" ON "EngagementChangeOrder"("engagementId")
  WHERE "status" = 'proposed';

-- History is kept: a version is decided once and never edited or deleted.
CREATE FUNCTION "change_orders_decided_once"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD."status" <> 'proposed'
     OR (NEW."version", NEW."budgetMinutes", NEW."budgetMinor", NEW."endsOn", NEW."scope", NEW."proposedById")
        IS DISTINCT FROM (OLD."version", OLD."budgetMinutes", OLD."budgetMinor", OLD."endsOn", OLD."scope", OLD."proposedById") THEN
    RAISE EXCEPTION 'a change order''s history cannot change' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "EngagementChangeOrder_decided_once" BEFORE UPDATE OR DELETE ON "EngagementChangeOrder"
  FOR EACH ROW EXECUTE FUNCTION "change_orders_decided_once"();

-- Version 1 of every existing engagement is its statement of work as it stands.
INSERT INTO "EngagementChangeOrder" ("id", "organizationId", "engagementId", "version", "budgetMinutes",
  "budgetMinor", "endsOn", "scope", "status", "proposedById", "decidedById", "decidedAt", "createdAt")
SELECT 'co1_' || e."id", e."organizationId", e."id", 1, e."budgetMinutes", e."budgetMinor", e."endsOn",
  'Statement of work', 'approved', e."createdById", e."createdById", e."createdAt", e."createdAt"
FROM "Engagement" e;
