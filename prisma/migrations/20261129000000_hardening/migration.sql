-- Platform hardening (issue 9): the database guards tenancy and money itself.
-- * Every tenant table references its organization; a child that must share its parent's tenant
--   references the parent by (id, organizationId), so a row can never point into another partner.
-- * Statuses and kinds that were free text are enums; currencies are checked against the ISO codes
--   contracts may use.
-- * Indexes for the hot queries: the certification claim, re-rating by contract and period,
--   journal lines by account.
-- * Contracts record a termination request, which a second person confirms.

CREATE TYPE "ContractDocumentKind" AS ENUM ('agreement', 'signed_agreement', 'certificate');
CREATE TYPE "JournalEntryKind" AS ENUM ('report_charges', 'reversal', 'advance_invoiced', 'payment', 'adjustment', 'period_close');
CREATE TYPE "RoyaltyChargeKind" AS ENUM ('royalty', 'revenue_share', 'cap_reduction', 'advance_recoupment', 'base_fee', 'minimum_guarantee_shortfall', 'pilot_fee');
CREATE TYPE "RoyaltyReportSource" AS ENUM ('csv', 'api', 'zero', 'period_close');
CREATE TYPE "ReportMappingKind" AS ENUM ('sku', 'region');
CREATE TYPE "MailTransport" AS ENUM ('local', 'resend');
CREATE TYPE "CertJobStatus" AS ENUM ('queued', 'running', 'completed', 'withdrawn');
CREATE TYPE "CertRequestFileKind" AS ENUM ('photo', 'spec_sheet');

ALTER TABLE "ContractDocument" ALTER COLUMN "kind" TYPE "ContractDocumentKind" USING "kind"::"ContractDocumentKind";
ALTER TABLE "JournalEntry" ALTER COLUMN "kind" TYPE "JournalEntryKind" USING "kind"::"JournalEntryKind";
ALTER TABLE "RoyaltyCharge" ALTER COLUMN "kind" TYPE "RoyaltyChargeKind" USING "kind"::"RoyaltyChargeKind";
ALTER TABLE "RoyaltyReport" ALTER COLUMN "source" TYPE "RoyaltyReportSource" USING "source"::"RoyaltyReportSource";
ALTER TABLE "ReportMapping" ALTER COLUMN "kind" TYPE "ReportMappingKind" USING "kind"::"ReportMappingKind";
ALTER TABLE "MailMessage" ALTER COLUMN "transport" TYPE "MailTransport" USING "transport"::"MailTransport";
ALTER TABLE "CertJob" ALTER COLUMN "status" TYPE "CertJobStatus" USING "status"::"CertJobStatus";
ALTER TABLE "CertRequestFile" ALTER COLUMN "kind" TYPE "CertRequestFileKind" USING "kind"::"CertRequestFileKind";

ALTER TABLE "Contract" ADD COLUMN "terminationRequestedById" TEXT, ADD COLUMN "terminationRequestedAt" TIMESTAMP(3), ADD COLUMN "terminationRequestReason" TEXT;

CREATE UNIQUE INDEX "Contract_id_organizationId_key" ON "Contract"("id", "organizationId");
CREATE UNIQUE INDEX "ContractVersion_id_organizationId_key" ON "ContractVersion"("id", "organizationId");
CREATE UNIQUE INDEX "LedgerAccount_id_organizationId_key" ON "LedgerAccount"("id", "organizationId");
CREATE UNIQUE INDEX "JournalEntry_id_organizationId_key" ON "JournalEntry"("id", "organizationId");
CREATE UNIQUE INDEX "RoyaltyReport_id_organizationId_key" ON "RoyaltyReport"("id", "organizationId");
CREATE UNIQUE INDEX "Invoice_id_organizationId_key" ON "Invoice"("id", "organizationId");
CREATE UNIQUE INDEX "Dispute_id_organizationId_key" ON "Dispute"("id", "organizationId");
CREATE UNIQUE INDEX "CertRunner_id_organizationId_key" ON "CertRunner"("id", "organizationId");
CREATE UNIQUE INDEX "CertRequest_id_organizationId_key" ON "CertRequest"("id", "organizationId");
CREATE UNIQUE INDEX "CertJob_id_organizationId_key" ON "CertJob"("id", "organizationId");
CREATE UNIQUE INDEX "CertResult_id_organizationId_key" ON "CertResult"("id", "organizationId");
CREATE UNIQUE INDEX "Adjustment_journalEntryId_key" ON "Adjustment"("journalEntryId");

DROP INDEX "JournalLine_accountId_idx";
CREATE INDEX "JournalLine_accountId_entryId_idx" ON "JournalLine"("accountId", "entryId");
CREATE INDEX "RoyaltyReport_contractId_status_periodStart_idx" ON "RoyaltyReport"("contractId", "status", "periodStart");
DROP INDEX "Invoice_organizationId_idx";
CREATE INDEX "Invoice_organizationId_status_idx" ON "Invoice"("organizationId", "status");
DROP INDEX "CertJob_organizationId_idx";
DROP INDEX "CertJob_status_idx";
CREATE INDEX "CertJob_organizationId_status_createdAt_idx" ON "CertJob"("organizationId", "status", "createdAt");

ALTER TABLE "ContractVersion" DROP CONSTRAINT "ContractVersion_contractId_fkey";
ALTER TABLE "ContractEnvelope" DROP CONSTRAINT "ContractEnvelope_contractVersionId_fkey";
ALTER TABLE "ContractDocument" DROP CONSTRAINT "ContractDocument_contractVersionId_fkey";
ALTER TABLE "ContractEvent" DROP CONSTRAINT "ContractEvent_contractId_fkey";
ALTER TABLE "JournalLine" DROP CONSTRAINT "JournalLine_entryId_fkey";
ALTER TABLE "JournalLine" DROP CONSTRAINT "JournalLine_accountId_fkey";
ALTER TABLE "RoyaltyReportLine" DROP CONSTRAINT "RoyaltyReportLine_reportId_fkey";
ALTER TABLE "RoyaltyCharge" DROP CONSTRAINT "RoyaltyCharge_reportId_fkey";
ALTER TABLE "DisputeMessage" DROP CONSTRAINT "DisputeMessage_disputeId_fkey";

ALTER TABLE "LedgerAccount" ADD CONSTRAINT "LedgerAccount_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "JournalEntry" ADD CONSTRAINT "JournalEntry_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "RoyaltyReport" ADD CONSTRAINT "RoyaltyReport_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "BillingCustomer" ADD CONSTRAINT "BillingCustomer_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Adjustment" ADD CONSTRAINT "Adjustment_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Dispute" ADD CONSTRAINT "Dispute_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ReportMapping" ADD CONSTRAINT "ReportMapping_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CertRunnerToken" ADD CONSTRAINT "CertRunnerToken_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CertRunner" ADD CONSTRAINT "CertRunner_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CertRequest" ADD CONSTRAINT "CertRequest_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "ContractVersion" ADD CONSTRAINT "ContractVersion_contractId_organizationId_fkey" FOREIGN KEY ("contractId", "organizationId") REFERENCES "Contract"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ContractEnvelope" ADD CONSTRAINT "ContractEnvelope_contractVersionId_organizationId_fkey" FOREIGN KEY ("contractVersionId", "organizationId") REFERENCES "ContractVersion"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ContractDocument" ADD CONSTRAINT "ContractDocument_contractVersionId_organizationId_fkey" FOREIGN KEY ("contractVersionId", "organizationId") REFERENCES "ContractVersion"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ContractEvent" ADD CONSTRAINT "ContractEvent_contractId_organizationId_fkey" FOREIGN KEY ("contractId", "organizationId") REFERENCES "Contract"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "JournalEntry" ADD CONSTRAINT "JournalEntry_reportId_organizationId_fkey" FOREIGN KEY ("reportId", "organizationId") REFERENCES "RoyaltyReport"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "JournalLine" ADD CONSTRAINT "JournalLine_entryId_organizationId_fkey" FOREIGN KEY ("entryId", "organizationId") REFERENCES "JournalEntry"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "JournalLine" ADD CONSTRAINT "JournalLine_accountId_organizationId_fkey" FOREIGN KEY ("accountId", "organizationId") REFERENCES "LedgerAccount"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "RoyaltyReport" ADD CONSTRAINT "RoyaltyReport_contractId_organizationId_fkey" FOREIGN KEY ("contractId", "organizationId") REFERENCES "Contract"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "RoyaltyReport" ADD CONSTRAINT "RoyaltyReport_contractVersionId_organizationId_fkey" FOREIGN KEY ("contractVersionId", "organizationId") REFERENCES "ContractVersion"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "RoyaltyReport" ADD CONSTRAINT "RoyaltyReport_journalEntryId_organizationId_fkey" FOREIGN KEY ("journalEntryId", "organizationId") REFERENCES "JournalEntry"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "RoyaltyReportLine" ADD CONSTRAINT "RoyaltyReportLine_reportId_organizationId_fkey" FOREIGN KEY ("reportId", "organizationId") REFERENCES "RoyaltyReport"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "RoyaltyCharge" ADD CONSTRAINT "RoyaltyCharge_reportId_organizationId_fkey" FOREIGN KEY ("reportId", "organizationId") REFERENCES "RoyaltyReport"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "RoyaltyCharge" ADD CONSTRAINT "RoyaltyCharge_journalEntryId_organizationId_fkey" FOREIGN KEY ("journalEntryId", "organizationId") REFERENCES "JournalEntry"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "RoyaltyCharge" ADD CONSTRAINT "RoyaltyCharge_contractVersionId_organizationId_fkey" FOREIGN KEY ("contractVersionId", "organizationId") REFERENCES "ContractVersion"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_journalEntryId_organizationId_fkey" FOREIGN KEY ("journalEntryId", "organizationId") REFERENCES "JournalEntry"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_reportId_organizationId_fkey" FOREIGN KEY ("reportId", "organizationId") REFERENCES "RoyaltyReport"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Adjustment" ADD CONSTRAINT "Adjustment_journalEntryId_organizationId_fkey" FOREIGN KEY ("journalEntryId", "organizationId") REFERENCES "JournalEntry"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Adjustment" ADD CONSTRAINT "Adjustment_disputeId_organizationId_fkey" FOREIGN KEY ("disputeId", "organizationId") REFERENCES "Dispute"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Dispute" ADD CONSTRAINT "Dispute_invoiceId_organizationId_fkey" FOREIGN KEY ("invoiceId", "organizationId") REFERENCES "Invoice"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Dispute" ADD CONSTRAINT "Dispute_reportId_organizationId_fkey" FOREIGN KEY ("reportId", "organizationId") REFERENCES "RoyaltyReport"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "DisputeMessage" ADD CONSTRAINT "DisputeMessage_disputeId_organizationId_fkey" FOREIGN KEY ("disputeId", "organizationId") REFERENCES "Dispute"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CertRequestFile" ADD CONSTRAINT "CertRequestFile_requestId_organizationId_fkey" FOREIGN KEY ("requestId", "organizationId") REFERENCES "CertRequest"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CertJob" ADD CONSTRAINT "CertJob_requestId_organizationId_fkey" FOREIGN KEY ("requestId", "organizationId") REFERENCES "CertRequest"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CertJob" ADD CONSTRAINT "CertJob_assignedRunnerId_organizationId_fkey" FOREIGN KEY ("assignedRunnerId", "organizationId") REFERENCES "CertRunner"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CertJob" ADD CONSTRAINT "CertJob_claimedByRunnerId_organizationId_fkey" FOREIGN KEY ("claimedByRunnerId", "organizationId") REFERENCES "CertRunner"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CertResult" ADD CONSTRAINT "CertResult_jobId_organizationId_fkey" FOREIGN KEY ("jobId", "organizationId") REFERENCES "CertJob"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CertResult" ADD CONSTRAINT "CertResult_runnerId_organizationId_fkey" FOREIGN KEY ("runnerId", "organizationId") REFERENCES "CertRunner"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CertBadge" ADD CONSTRAINT "CertBadge_requestId_organizationId_fkey" FOREIGN KEY ("requestId", "organizationId") REFERENCES "CertRequest"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CertBadge" ADD CONSTRAINT "CertBadge_resultId_organizationId_fkey" FOREIGN KEY ("resultId", "organizationId") REFERENCES "CertResult"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "LedgerAccount" ADD CONSTRAINT "LedgerAccount_currency_check" CHECK ("currency" IN ('USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'));
ALTER TABLE "JournalEntry" ADD CONSTRAINT "JournalEntry_currency_check" CHECK ("currency" IN ('USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'));
ALTER TABLE "RoyaltyReport" ADD CONSTRAINT "RoyaltyReport_currency_check" CHECK ("currency" IN ('USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'));
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_currency_check" CHECK ("currency" IN ('USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'));
ALTER TABLE "Adjustment" ADD CONSTRAINT "Adjustment_currency_check" CHECK ("currency" IN ('USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'));
ALTER TABLE "Dispute" ADD CONSTRAINT "Dispute_currency_check" CHECK ("currency" IN ('USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'));
