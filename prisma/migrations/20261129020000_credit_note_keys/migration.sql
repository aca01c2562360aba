-- A credit may need several credit notes (Stripe takes at most eight digits per amount), so a credit
-- note is keyed by what issued it and its part: "credit:<posting>:<invoice>:<part>", "adjustment:<id>:<part>".
DROP INDEX "CreditNote_journalEntryId_invoiceId_key";
DROP INDEX "CreditNote_adjustmentId_key";
ALTER TABLE "CreditNote" ADD COLUMN "idempotencyKey" TEXT NOT NULL;
CREATE UNIQUE INDEX "CreditNote_idempotencyKey_key" ON "CreditNote"("idempotencyKey");
CREATE INDEX "CreditNote_invoiceId_idx" ON "CreditNote"("invoiceId");
