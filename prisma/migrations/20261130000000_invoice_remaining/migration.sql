-- What is left to pay on an invoice, as Stripe says (after credit notes, the customer's balance and
-- payments), so the portal's outstanding total is Stripe's figure, not one we work out ourselves.
ALTER TABLE "Invoice" ADD COLUMN "amountRemainingMinor" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "Invoice" ADD COLUMN "issuedAt" TIMESTAMP(3);
UPDATE "Invoice" SET "amountRemainingMinor" = GREATEST("amountDueMinor" - "amountPaidMinor" - "paidFromBalanceMinor", 0)
  WHERE "status" = 'open';
UPDATE "Invoice" SET "issuedAt" = "createdAt" WHERE "status" <> 'draft';
CREATE INDEX "Invoice_organizationId_dueDate_idx" ON "Invoice"("organizationId", "dueDate");
