-- Accounting export (issue 32, decision 029): finance's chart of accounts per ledger account type, and
-- every export of a closed month's journal with its files. The app role gets its grants from the
-- default privileges the migrator sets (decision 020).
CREATE TABLE "AccountingAccountMapping" (
    "accountType" "LedgerAccountType" NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "updatedById" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "AccountingAccountMapping_pkey" PRIMARY KEY ("accountType")
);

CREATE TABLE "AccountingExport" (
    "id" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "exportedById" TEXT NOT NULL,
    "exportedAt" TIMESTAMP(3) NOT NULL,
    "manifest" JSONB NOT NULL,
    "changes" JSONB NOT NULL,
    CONSTRAINT "AccountingExport_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "AccountingExport_period_exportedAt_idx" ON "AccountingExport"("period", "exportedAt");
ALTER TABLE "AccountingExport" ADD CONSTRAINT "AccountingExport_period_fkey"
  FOREIGN KEY ("period") REFERENCES "LedgerPeriodClose"("period") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "AccountingExportFile" (
    "id" TEXT NOT NULL,
    "exportId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    CONSTRAINT "AccountingExportFile_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "AccountingExportFile_exportId_name_key" ON "AccountingExportFile"("exportId", "name");
ALTER TABLE "AccountingExportFile" ADD CONSTRAINT "AccountingExportFile_exportId_fkey"
  FOREIGN KEY ("exportId") REFERENCES "AccountingExport"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- What was handed to the books stays as it was handed (hand-written): an export and its files are
-- never changed or deleted; a new export of the same month is a new row.
CREATE FUNCTION "accounting_export_is_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AccountingExport_append_only" BEFORE UPDATE OR DELETE ON "AccountingExport"
  FOR EACH ROW EXECUTE FUNCTION "accounting_export_is_append_only"();
CREATE TRIGGER "AccountingExportFile_append_only" BEFORE UPDATE OR DELETE ON "AccountingExportFile"
  FOR EACH ROW EXECUTE FUNCTION "accounting_export_is_append_only"();
