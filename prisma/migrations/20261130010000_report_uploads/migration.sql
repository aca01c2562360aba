-- A report's lines are written once, as they arrive: into an upload that the posting then points
-- at, instead of a staging table whose rows the posting copied (docs/decisions/011).
CREATE TABLE "ReportUpload" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "postedAt" TIMESTAMP(3),
    CONSTRAINT "ReportUpload_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ReportUpload_id_organizationId_key" ON "ReportUpload"("id", "organizationId");
CREATE INDEX "ReportUpload_postedAt_createdAt_idx" ON "ReportUpload"("postedAt", "createdAt");
ALTER TABLE "ReportUpload" ADD CONSTRAINT "ReportUpload_organizationId_fkey" FOREIGN KEY ("organizationId")
  REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Every report with lines kept them under its own id: that id becomes its upload's.
INSERT INTO "ReportUpload" ("id", "organizationId", "createdAt", "postedAt")
  SELECT r."id", r."organizationId", r."createdAt", r."createdAt" FROM "RoyaltyReport" r
  WHERE EXISTS (SELECT 1 FROM "RoyaltyReportLine" l WHERE l."reportId" = r."id");
ALTER TABLE "RoyaltyReport" ADD COLUMN "uploadId" TEXT;
UPDATE "RoyaltyReport" r SET "uploadId" = r."id" WHERE EXISTS (SELECT 1 FROM "ReportUpload" u WHERE u."id" = r."id");
CREATE UNIQUE INDEX "RoyaltyReport_uploadId_organizationId_key" ON "RoyaltyReport"("uploadId", "organizationId");
ALTER TABLE "RoyaltyReport" ADD CONSTRAINT "RoyaltyReport_uploadId_organizationId_fkey"
  FOREIGN KEY ("uploadId", "organizationId") REFERENCES "ReportUpload"("id", "organizationId")
  ON DELETE RESTRICT ON UPDATE CASCADE;

-- Lines belong to their upload, keyed by their line number (one index, not a text id and another).
ALTER TABLE "RoyaltyReportLine" DROP CONSTRAINT "RoyaltyReportLine_reportId_organizationId_fkey";
DROP INDEX "RoyaltyReportLine_reportId_idx";
ALTER TABLE "RoyaltyReportLine" DROP CONSTRAINT "RoyaltyReportLine_pkey";
ALTER TABLE "RoyaltyReportLine" DROP COLUMN "id";
ALTER TABLE "RoyaltyReportLine" RENAME COLUMN "reportId" TO "uploadId";
ALTER TABLE "RoyaltyReportLine" ADD CONSTRAINT "RoyaltyReportLine_pkey" PRIMARY KEY ("uploadId", "lineNumber");
-- A report's COPY names its upload and organization once, for the transaction, instead of on each of
-- its million lines (they were most of the bytes sent). Unset, they are NULL and the row is refused.
ALTER TABLE "RoyaltyReportLine" ALTER COLUMN "uploadId" SET DEFAULT current_setting('ggml.upload_id', true);
ALTER TABLE "RoyaltyReportLine" ALTER COLUMN "organizationId"
  SET DEFAULT current_setting('ggml.organization_id', true);

-- Instead of a foreign key checked row by row (which cost more than writing the line), each insert
-- statement is checked whole: its lines must join an upload of their own organization that is not
-- posted yet. An upload keeps its lines: it can be deleted only once they are gone.
CREATE FUNCTION "report_lines_join_an_open_upload"() RETURNS trigger AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM (SELECT DISTINCT "uploadId", "organizationId" FROM new_lines) n
    LEFT JOIN "ReportUpload" u ON u."id" = n."uploadId" AND u."organizationId" = n."organizationId"
      AND u."postedAt" IS NULL
    WHERE u."id" IS NULL
  ) THEN
    RAISE EXCEPTION 'report lines must join an unposted upload of their own organization'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "RoyaltyReportLine_open_upload" AFTER INSERT ON "RoyaltyReportLine"
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION "report_lines_join_an_open_upload"();

CREATE FUNCTION "report_upload_keeps_its_lines"() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "RoyaltyReportLine" WHERE "uploadId" = OLD."id") THEN
    RAISE EXCEPTION 'an upload with lines cannot be deleted; discard its lines first'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "ReportUpload_keeps_lines" BEFORE DELETE ON "ReportUpload"
  FOR EACH ROW EXECUTE FUNCTION "report_upload_keeps_its_lines"();

-- Posted lines stay append-only; the lines of an upload that was never posted (a refused or failed
-- report) may be discarded.
DROP TRIGGER "RoyaltyReportLine_append_only" ON "RoyaltyReportLine";
CREATE FUNCTION "report_lines_are_append_only"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (
    SELECT 1 FROM "ReportUpload" u WHERE u."id" = OLD."uploadId" AND u."postedAt" IS NOT NULL
  ) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'RoyaltyReportLine is append-only: posted report lines cannot change';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "RoyaltyReportLine_append_only" BEFORE UPDATE OR DELETE ON "RoyaltyReportLine"
  FOR EACH ROW EXECUTE FUNCTION "report_lines_are_append_only"();

DROP TABLE "RoyaltyReportStaging";
