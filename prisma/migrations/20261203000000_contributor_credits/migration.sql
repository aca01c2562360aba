-- Contributor reward credits (docs/decisions/012).
ALTER TYPE "OrganizationKind" ADD VALUE 'contributor';
ALTER TYPE "JournalEntryKind" ADD VALUE 'credit_grant';
ALTER TYPE "JournalEntryKind" ADD VALUE 'credit_spend';
ALTER TYPE "JournalEntryKind" ADD VALUE 'credit_expiry';
ALTER TYPE "JournalEntryKind" ADD VALUE 'credit_revocation';
ALTER TYPE "LedgerAccountType" ADD VALUE 'credit_program_expense';
ALTER TYPE "LedgerAccountType" ADD VALUE 'contributor_credit';
ALTER TYPE "LedgerAccountType" ADD VALUE 'credit_redeemed';
ALTER TYPE "LedgerAccountType" ADD VALUE 'credit_breakage';

CREATE TYPE "CreditCategory" AS ENUM ('inference', 'fine_tuning', 'storage');
CREATE TYPE "CreditGrantStatus" AS ENUM ('proposed', 'approved', 'rejected');
CREATE TYPE "CreditDrawKind" AS ENUM ('spend', 'expiry', 'revocation');

CREATE TABLE "ContributionSnapshot" (
    "id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL,
    "takenById" TEXT NOT NULL,
    "repositories" INTEGER NOT NULL,
    CONSTRAINT "ContributionSnapshot_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ContributionSnapshot_year_key" ON "ContributionSnapshot"("year");

CREATE TABLE "ContributorScore" (
    "id" TEXT NOT NULL,
    "snapshotId" TEXT NOT NULL,
    "login" TEXT NOT NULL,
    "mergedLogins" TEXT[],
    "email" TEXT,
    "name" TEXT,
    "mergedPulls" INTEGER NOT NULL,
    "reviews" INTEGER NOT NULL,
    "issuesTriaged" INTEGER NOT NULL,
    "score" INTEGER NOT NULL,
    "rank" INTEGER,
    "excluded" TEXT,
    CONSTRAINT "ContributorScore_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ContributorScore_snapshotId_login_key" ON "ContributorScore"("snapshotId", "login");
CREATE INDEX "ContributorScore_snapshotId_rank_idx" ON "ContributorScore"("snapshotId", "rank");
ALTER TABLE "ContributorScore" ADD CONSTRAINT "ContributorScore_snapshotId_fkey" FOREIGN KEY ("snapshotId")
  REFERENCES "ContributionSnapshot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "CreditProgram" (
    "year" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "budgetMinor" BIGINT NOT NULL,
    CONSTRAINT "CreditProgram_pkey" PRIMARY KEY ("year")
);
ALTER TABLE "CreditProgram" ADD CONSTRAINT "CreditProgram_currency_check" CHECK ("currency" = 'USD');
ALTER TABLE "CreditProgram" ADD CONSTRAINT "CreditProgram_budget_check" CHECK ("budgetMinor" >= 0);

CREATE TABLE "CreditGrant" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "login" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "category" "CreditCategory",
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "listPublicly" BOOLEAN NOT NULL DEFAULT false,
    "status" "CreditGrantStatus" NOT NULL DEFAULT 'proposed',
    "reason" TEXT NOT NULL,
    "proposedById" TEXT NOT NULL,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "grantedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revocationReason" TEXT,
    "revocationById" TEXT,
    "revokedById" TEXT,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CreditGrant_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "CreditGrant_year_login_key" ON "CreditGrant"("year", "login");
CREATE UNIQUE INDEX "CreditGrant_id_organizationId_key" ON "CreditGrant"("id", "organizationId");
CREATE INDEX "CreditGrant_organizationId_idx" ON "CreditGrant"("organizationId");
CREATE INDEX "CreditGrant_expiresAt_idx" ON "CreditGrant"("expiresAt");
ALTER TABLE "CreditGrant" ADD CONSTRAINT "CreditGrant_organizationId_fkey" FOREIGN KEY ("organizationId")
  REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CreditGrant" ADD CONSTRAINT "CreditGrant_year_fkey" FOREIGN KEY ("year")
  REFERENCES "CreditProgram"("year") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CreditGrant" ADD CONSTRAINT "CreditGrant_amount_check" CHECK ("amountMinor" > 0);
-- Four eyes: whoever proposed a grant or its revocation does not decide it.
ALTER TABLE "CreditGrant" ADD CONSTRAINT "CreditGrant_four_eyes_check"
  CHECK (("decidedById" IS NULL OR "decidedById" <> "proposedById")
     AND ("revokedById" IS NULL OR "revokedById" <> "revocationById"));

CREATE TABLE "CreditUsage" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "category" "CreditCategory" NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "coveredMinor" BIGINT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "CreditUsage_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "CreditUsage_idempotencyKey_key" ON "CreditUsage"("idempotencyKey");
CREATE INDEX "CreditUsage_organizationId_occurredAt_idx" ON "CreditUsage"("organizationId", "occurredAt");
ALTER TABLE "CreditUsage" ADD CONSTRAINT "CreditUsage_organizationId_fkey" FOREIGN KEY ("organizationId")
  REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CreditUsage" ADD CONSTRAINT "CreditUsage_amount_check"
  CHECK ("amountMinor" > 0 AND "coveredMinor" >= 0 AND "coveredMinor" <= "amountMinor");

CREATE TABLE "CreditDraw" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "kind" "CreditDrawKind" NOT NULL,
    "key" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "usageId" TEXT,
    "journalEntryId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "CreditDraw_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "CreditDraw_organizationId_key_key" ON "CreditDraw"("organizationId", "key");
CREATE INDEX "CreditDraw_grantId_idx" ON "CreditDraw"("grantId");
CREATE INDEX "CreditDraw_usageId_idx" ON "CreditDraw"("usageId");
ALTER TABLE "CreditDraw" ADD CONSTRAINT "CreditDraw_organizationId_fkey" FOREIGN KEY ("organizationId")
  REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CreditDraw" ADD CONSTRAINT "CreditDraw_grantId_organizationId_fkey" FOREIGN KEY ("grantId", "organizationId")
  REFERENCES "CreditGrant"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CreditDraw" ADD CONSTRAINT "CreditDraw_usageId_fkey" FOREIGN KEY ("usageId")
  REFERENCES "CreditUsage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CreditDraw" ADD CONSTRAINT "CreditDraw_amount_check" CHECK ("amountMinor" > 0);

CREATE TABLE "CreditReminder" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "daysBefore" INTEGER NOT NULL,
    "sent" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "CreditReminder_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "CreditReminder_grantId_daysBefore_key" ON "CreditReminder"("grantId", "daysBefore");
ALTER TABLE "CreditReminder" ADD CONSTRAINT "CreditReminder_organizationId_fkey" FOREIGN KEY ("organizationId")
  REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CreditReminder" ADD CONSTRAINT "CreditReminder_grantId_organizationId_fkey" FOREIGN KEY ("grantId", "organizationId")
  REFERENCES "CreditGrant"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The budget: an approval locks its program year, so approvals at the same moment are counted one
-- after the other, each seeing those committed before it.
CREATE FUNCTION "credit_grants_within_budget"() RETURNS trigger AS $$
DECLARE
  budget BIGINT;
  approved BIGINT;
BEGIN
  IF NEW."status" <> 'approved' OR (TG_OP = 'UPDATE' AND OLD."status" = 'approved') THEN
    RETURN NEW;
  END IF;
  SELECT "budgetMinor" INTO budget FROM "CreditProgram" WHERE "year" = NEW."year" FOR UPDATE;
  SELECT COALESCE(SUM("amountMinor"), 0) INTO approved FROM "CreditGrant"
    WHERE "year" = NEW."year" AND "status" = 'approved' AND "id" <> NEW."id";
  IF approved + NEW."amountMinor" > budget THEN
    RAISE EXCEPTION 'credit grants of % would exceed the program budget', NEW."year"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'CreditGrant_budget';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "CreditGrant_budget" BEFORE INSERT OR UPDATE OF "status", "amountMinor" ON "CreditGrant"
  FOR EACH ROW EXECUTE FUNCTION "credit_grants_within_budget"();

-- A lot never gives more than it holds. Draws of one lot are made under its row lock (the spender
-- locks the contributor's lots), so the sum seen here is the whole of it.
CREATE FUNCTION "credit_draws_within_lot"() RETURNS trigger AS $$
DECLARE
  lot BIGINT;
  drawn BIGINT;
BEGIN
  SELECT "amountMinor" INTO lot FROM "CreditGrant" WHERE "id" = NEW."grantId" AND "status" = 'approved'
    AND "grantedAt" IS NOT NULL FOR UPDATE;
  IF lot IS NULL THEN
    RAISE EXCEPTION 'credits can be drawn only from an approved, accepted grant'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'CreditDraw_lot';
  END IF;
  SELECT COALESCE(SUM("amountMinor"), 0) INTO drawn FROM "CreditDraw" WHERE "grantId" = NEW."grantId";
  IF drawn + NEW."amountMinor" > lot THEN
    RAISE EXCEPTION 'draws would exceed the lot'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'CreditDraw_lot';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "CreditDraw_within_lot" BEFORE INSERT ON "CreditDraw"
  FOR EACH ROW EXECUTE FUNCTION "credit_draws_within_lot"();

-- Draws and usage are history: never changed, never deleted.
CREATE FUNCTION "credit_history_is_immutable"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "CreditDraw_immutable" BEFORE UPDATE OR DELETE ON "CreditDraw"
  FOR EACH ROW EXECUTE FUNCTION "credit_history_is_immutable"();
CREATE TRIGGER "CreditUsage_immutable" BEFORE UPDATE OR DELETE ON "CreditUsage"
  FOR EACH ROW EXECUTE FUNCTION "credit_history_is_immutable"();
CREATE TRIGGER "ContributorScore_immutable" BEFORE UPDATE OR DELETE ON "ContributorScore"
  FOR EACH ROW EXECUTE FUNCTION "credit_history_is_immutable"();
