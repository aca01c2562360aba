-- The timed challenge (issue 26, decision 019): proof of speed, timed on the database's clock.
CREATE TABLE "CertChallenge" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "runnerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "claimedPp" DOUBLE PRECISION NOT NULL,
    "claimedTg" DOUBLE PRECISION NOT NULL,
    "nPrompt" INTEGER NOT NULL,
    "nGen" INTEGER NOT NULL,
    "rounds" INTEGER NOT NULL,
    "k" INTEGER NOT NULL,
    "nonce" TEXT NOT NULL,
    "pingAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "roundTripMs" INTEGER,
    "answeredAt" TIMESTAMP(3),
    "elapsedMs" INTEGER,
    "answer" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CertChallenge_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "CertChallenge_nonce_key" ON "CertChallenge"("nonce");
CREATE UNIQUE INDEX "CertChallenge_jobId_kind_attempt_key" ON "CertChallenge"("jobId", "kind", "attempt");
CREATE INDEX "CertChallenge_organizationId_idx" ON "CertChallenge"("organizationId");
ALTER TABLE "CertChallenge" ADD CONSTRAINT "CertChallenge_jobId_organizationId_fkey" FOREIGN KEY ("jobId", "organizationId") REFERENCES "CertJob"("id", "organizationId") ON DELETE RESTRICT ON UPDATE CASCADE;
