-- CreateTable
CREATE TABLE "CertLogEntry" (
    "seq" BIGSERIAL NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "partner" TEXT NOT NULL,
    "product" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "resultId" TEXT NOT NULL,
    "accepted" BOOLEAN NOT NULL,
    "failedChecks" JSONB NOT NULL,
    "payloadSha256" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "CertLogEntry_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "CertLogEntry_resultId_key" ON "CertLogEntry"("resultId");

-- CreateIndex
CREATE UNIQUE INDEX "CertLogEntry_hash_key" ON "CertLogEntry"("hash");

-- The public log is append-only, like the audit log.
CREATE TRIGGER "CertLogEntry_append_only" BEFORE UPDATE OR DELETE ON "CertLogEntry"
  FOR EACH ROW EXECUTE FUNCTION "ledger_is_append_only"();
