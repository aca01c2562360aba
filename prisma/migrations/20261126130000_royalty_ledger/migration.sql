-- CreateEnum
CREATE TYPE "LedgerAccountType" AS ENUM ('royalty_receivable', 'royalty_revenue', 'base_fee_revenue', 'pilot_fee_revenue', 'minimum_guarantee_revenue', 'deferred_revenue', 'cash', 'partner_credit');

-- CreateEnum
CREATE TYPE "RoyaltyReportStatus" AS ENUM ('current', 'superseded');

-- CreateTable
CREATE TABLE "LedgerAccount" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "type" "LedgerAccountType" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JournalEntry" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "effectiveDate" DATE NOT NULL,
    "periodTag" TEXT,
    "reportId" TEXT,
    "reversesEntryId" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JournalEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JournalLine" (
    "id" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "debitMinor" BIGINT NOT NULL DEFAULT 0,
    "creditMinor" BIGINT NOT NULL DEFAULT 0,
    "memo" TEXT NOT NULL,

    CONSTRAINT "JournalLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoyaltyReport" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "revision" INTEGER NOT NULL,
    "status" "RoyaltyReportStatus" NOT NULL DEFAULT 'current',
    "currentKey" TEXT,
    "source" TEXT NOT NULL,
    "contentSha256" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "submittedById" TEXT,
    "lineCount" INTEGER NOT NULL,
    "unitsTotal" BIGINT NOT NULL,
    "revenueTotalMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "contractVersionId" TEXT NOT NULL,
    "journalEntryId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoyaltyReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoyaltyReportLine" (
    "id" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "lineNumber" INTEGER NOT NULL,
    "deviceModel" TEXT NOT NULL,
    "deviceClass" TEXT NOT NULL,
    "priceBand" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "units" INTEGER NOT NULL,
    "revenueMinor" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "RoyaltyReportLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoyaltyCharge" (
    "id" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "contractVersionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "trace" JSONB NOT NULL,
    "position" INTEGER NOT NULL,
    "journalEntryId" TEXT NOT NULL,

    CONSTRAINT "RoyaltyCharge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LedgerAccount_organizationId_currency_type_key" ON "LedgerAccount"("organizationId", "currency", "type");

-- CreateIndex
CREATE UNIQUE INDEX "JournalEntry_reversesEntryId_key" ON "JournalEntry"("reversesEntryId");

-- CreateIndex
CREATE INDEX "JournalEntry_organizationId_effectiveDate_idx" ON "JournalEntry"("organizationId", "effectiveDate");

-- CreateIndex
CREATE INDEX "JournalEntry_reportId_idx" ON "JournalEntry"("reportId");

-- CreateIndex
CREATE UNIQUE INDEX "JournalEntry_organizationId_idempotencyKey_key" ON "JournalEntry"("organizationId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "JournalLine_entryId_idx" ON "JournalLine"("entryId");

-- CreateIndex
CREATE INDEX "JournalLine_accountId_idx" ON "JournalLine"("accountId");

-- CreateIndex
CREATE INDEX "JournalLine_organizationId_idx" ON "JournalLine"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "RoyaltyReport_currentKey_key" ON "RoyaltyReport"("currentKey");

-- CreateIndex
CREATE INDEX "RoyaltyReport_organizationId_idx" ON "RoyaltyReport"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "RoyaltyReport_contractId_periodStart_revision_key" ON "RoyaltyReport"("contractId", "periodStart", "revision");

-- CreateIndex
CREATE UNIQUE INDEX "RoyaltyReport_organizationId_idempotencyKey_key" ON "RoyaltyReport"("organizationId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "RoyaltyReportLine_reportId_idx" ON "RoyaltyReportLine"("reportId");

-- CreateIndex
CREATE INDEX "RoyaltyCharge_reportId_idx" ON "RoyaltyCharge"("reportId");

-- CreateIndex
CREATE INDEX "RoyaltyCharge_journalEntryId_idx" ON "RoyaltyCharge"("journalEntryId");

-- AddForeignKey
ALTER TABLE "JournalEntry" ADD CONSTRAINT "JournalEntry_reversesEntryId_fkey" FOREIGN KEY ("reversesEntryId") REFERENCES "JournalEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JournalLine" ADD CONSTRAINT "JournalLine_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "JournalEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JournalLine" ADD CONSTRAINT "JournalLine_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "LedgerAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoyaltyReportLine" ADD CONSTRAINT "RoyaltyReportLine_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "RoyaltyReport"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoyaltyCharge" ADD CONSTRAINT "RoyaltyCharge_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "RoyaltyReport"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The ledger's rules, enforced by the database as well as the code (hand-written; see
-- docs/decisions/006): a line is a debit or a credit, never both, never negative; its account
-- belongs to the entry's partner and currency; every entry balances when its transaction commits;
-- nothing posted is ever updated or deleted.
ALTER TABLE "JournalLine" ADD CONSTRAINT "JournalLine_one_side_check"
  CHECK ("debitMinor" >= 0 AND "creditMinor" >= 0 AND (("debitMinor" = 0) <> ("creditMinor" = 0)));

CREATE FUNCTION "journal_line_matches_entry"() RETURNS trigger AS $$
DECLARE e RECORD; a RECORD;
BEGIN
  SELECT "organizationId", "currency" INTO e FROM "JournalEntry" WHERE "id" = NEW."entryId";
  SELECT "organizationId", "currency" INTO a FROM "LedgerAccount" WHERE "id" = NEW."accountId";
  IF e."organizationId" <> NEW."organizationId" OR a."organizationId" <> NEW."organizationId" OR a."currency" <> e."currency" THEN
    RAISE EXCEPTION 'JournalLine % posts to an account of another partner or currency', NEW."id";
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "JournalLine_matches_entry" BEFORE INSERT ON "JournalLine"
  FOR EACH ROW EXECUTE FUNCTION "journal_line_matches_entry"();

CREATE FUNCTION "journal_entry_balances"() RETURNS trigger AS $$
DECLARE diff NUMERIC; n INTEGER;
BEGIN
  SELECT COALESCE(SUM("debitMinor"), 0) - COALESCE(SUM("creditMinor"), 0), COUNT(*) INTO diff, n FROM "JournalLine" WHERE "entryId" = NEW."entryId";
  IF diff <> 0 THEN RAISE EXCEPTION 'JournalEntry % does not balance (debits − credits = %)', NEW."entryId", diff; END IF;
  IF n < 2 THEN RAISE EXCEPTION 'JournalEntry % needs at least two lines', NEW."entryId"; END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER "JournalLine_entry_balances" AFTER INSERT ON "JournalLine"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "journal_entry_balances"();

CREATE FUNCTION "ledger_is_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused; post a reversal instead', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "JournalEntry_append_only" BEFORE UPDATE OR DELETE ON "JournalEntry"
  FOR EACH ROW EXECUTE FUNCTION "ledger_is_append_only"();
CREATE TRIGGER "JournalLine_append_only" BEFORE UPDATE OR DELETE ON "JournalLine"
  FOR EACH ROW EXECUTE FUNCTION "ledger_is_append_only"();
CREATE TRIGGER "RoyaltyCharge_append_only" BEFORE UPDATE OR DELETE ON "RoyaltyCharge"
  FOR EACH ROW EXECUTE FUNCTION "ledger_is_append_only"();
CREATE TRIGGER "RoyaltyReportLine_append_only" BEFORE UPDATE OR DELETE ON "RoyaltyReportLine"
  FOR EACH ROW EXECUTE FUNCTION "ledger_is_append_only"();
