-- A partner may withdraw a certification request; its results are then logged again, as withdrawn,
-- so one result can have several public-log entries.
-- AlterTable
ALTER TABLE "CertRequest" ADD COLUMN     "withdrawnAt" TIMESTAMP(3),
ADD COLUMN     "withdrawalReason" TEXT;

-- DropIndex
DROP INDEX "CertLogEntry_resultId_key";

-- CreateIndex
CREATE INDEX "CertLogEntry_resultId_idx" ON "CertLogEntry"("resultId");
