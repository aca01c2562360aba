-- A month and the quarter it starts share a start date: revisions are numbered per exact period.
-- DropIndex
DROP INDEX "RoyaltyReport_contractId_periodStart_revision_key";

-- CreateIndex
CREATE UNIQUE INDEX "RoyaltyReport_contractId_periodStart_periodEnd_revision_key" ON "RoyaltyReport"("contractId", "periodStart", "periodEnd", "revision");
