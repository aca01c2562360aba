-- Royalties that finance can sign off (issue 15).
-- * Rating records: tier crossings, volume true-ups and a guarantee met are charge lines; a rating
--   keeps its lines even when it posts nothing, keyed by the rating (ratingKey), not by a posting.
-- * Every posting can carry the period it is for (its service period); statements list by it.
-- * Credit notes: what a restatement or an approved credit lowered, against an invoice or to the
--   partner's credit balance; invoices record what the balance paid.
-- * Report lines are staged while a file streams in, so memory stays flat in its size.

ALTER TYPE "RoyaltyChargeKind" ADD VALUE 'tier_crossing';
ALTER TYPE "RoyaltyChargeKind" ADD VALUE 'volume_true_up';
ALTER TYPE "RoyaltyChargeKind" ADD VALUE 'minimum_guarantee_met';
CREATE TYPE "CreditNoteTarget" AS ENUM ('invoice', 'customer_balance');

ALTER TABLE "JournalEntry" ADD COLUMN "servicePeriodStart" DATE, ADD COLUMN "servicePeriodEnd" DATE;
CREATE INDEX "JournalEntry_organizationId_servicePeriodStart_idx" ON "JournalEntry"("organizationId", "servicePeriodStart");

ALTER TABLE "RoyaltyReport" ADD COLUMN "ratingKey" TEXT, ADD COLUMN "usage" JSONB;
UPDATE "RoyaltyReport" r SET "usage" = COALESCE((
  SELECT jsonb_object_agg(b."priceBand", jsonb_build_object('units', b.units, 'revenueMinor', b.revenue::text))
  FROM (SELECT "priceBand", sum(units) AS units, sum("revenueMinor") AS revenue FROM "RoyaltyReportLine"
        WHERE "reportId" = r.id GROUP BY "priceBand") b), '{}'::jsonb);
ALTER TABLE "RoyaltyCharge" ALTER COLUMN "journalEntryId" DROP NOT NULL;
ALTER TABLE "RoyaltyCharge" ADD COLUMN "ratingKey" TEXT;
-- Existing charges belong to the posting that carried them: its idempotency key is the rating's key.
-- (RoyaltyCharge is append-only; this backfill runs before any row can change again.)
ALTER TABLE "RoyaltyCharge" DISABLE TRIGGER "RoyaltyCharge_append_only";
UPDATE "RoyaltyCharge" c SET "ratingKey" = e."idempotencyKey" FROM "JournalEntry" e WHERE e.id = c."journalEntryId";
ALTER TABLE "RoyaltyCharge" ENABLE TRIGGER "RoyaltyCharge_append_only";
UPDATE "RoyaltyReport" r SET "ratingKey" = e."idempotencyKey" FROM "JournalEntry" e WHERE e.id = r."journalEntryId";
ALTER TABLE "RoyaltyCharge" ALTER COLUMN "ratingKey" SET NOT NULL;
CREATE INDEX "RoyaltyCharge_ratingKey_idx" ON "RoyaltyCharge"("ratingKey");

ALTER TABLE "Invoice" ADD COLUMN "paidFromBalanceMinor" BIGINT NOT NULL DEFAULT 0;

CREATE TABLE "CreditNote" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "invoiceId" TEXT,
    "journalEntryId" TEXT,
    "adjustmentId" TEXT,
    "currency" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "reason" TEXT NOT NULL,
    "target" "CreditNoteTarget" NOT NULL,
    "stripeCreditNoteId" TEXT,
    "stripeBalanceTxnId" TEXT,
    "number" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CreditNote_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "CreditNote_amount_positive" CHECK ("amountMinor" > 0),
    CONSTRAINT "CreditNote_currency_check" CHECK ("currency" IN ('USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'))
);
CREATE UNIQUE INDEX "CreditNote_stripeCreditNoteId_key" ON "CreditNote"("stripeCreditNoteId");
CREATE UNIQUE INDEX "CreditNote_stripeBalanceTxnId_key" ON "CreditNote"("stripeBalanceTxnId");
CREATE UNIQUE INDEX "CreditNote_journalEntryId_invoiceId_key" ON "CreditNote"("journalEntryId", "invoiceId");
CREATE UNIQUE INDEX "CreditNote_adjustmentId_key" ON "CreditNote"("adjustmentId");
CREATE INDEX "CreditNote_organizationId_idx" ON "CreditNote"("organizationId");
ALTER TABLE "CreditNote" ADD CONSTRAINT "CreditNote_invoiceId_organizationId_fkey" FOREIGN KEY ("invoiceId", "organizationId") REFERENCES "Invoice"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CreditNote" ADD CONSTRAINT "CreditNote_journalEntryId_organizationId_fkey" FOREIGN KEY ("journalEntryId", "organizationId") REFERENCES "JournalEntry"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CreditNote" ADD CONSTRAINT "CreditNote_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE UNLOGGED TABLE "RoyaltyReportStaging" (
    "uploadId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "lineNumber" INTEGER NOT NULL,
    "deviceModel" TEXT NOT NULL,
    "deviceClass" TEXT NOT NULL,
    "priceBand" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "units" INTEGER NOT NULL,
    "revenueMinor" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RoyaltyReportStaging_pkey" PRIMARY KEY ("uploadId", "lineNumber")
);
