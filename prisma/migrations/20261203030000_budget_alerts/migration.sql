-- Budget alerts at 50, 75, 90 and 100% of an engagement's hours or money, each once (decision 013).
CREATE TABLE "EngagementBudgetAlert" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "engagementId" TEXT NOT NULL,
    "measure" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "EngagementBudgetAlert_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "EngagementBudgetAlert_engagementId_measure_threshold_key"
  ON "EngagementBudgetAlert"("engagementId", "measure", "threshold");
ALTER TABLE "EngagementBudgetAlert" ADD CONSTRAINT "EngagementBudgetAlert_organizationId_fkey"
  FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "EngagementBudgetAlert" ADD CONSTRAINT "EngagementBudgetAlert_engagementId_organizationId_fkey"
  FOREIGN KEY ("engagementId", "organizationId") REFERENCES "Engagement"("id", "organizationId")
  ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "EngagementBudgetAlert" ADD CONSTRAINT "EngagementBudgetAlert_check"
  CHECK ("measure" IN ('hours', 'money') AND "threshold" IN (50, 75, 90, 100));
