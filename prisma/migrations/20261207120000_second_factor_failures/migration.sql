-- The second factor per account (issue 25, decision 015). Wrong codes were limited per challenge only,
-- so whoever had the password could open challenge after challenge and keep guessing: the account now
-- counts them across challenges and locks its second factor with a back-off.
ALTER TABLE "User" ADD COLUMN "secondFactorFailures" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "User" ADD COLUMN "secondFactorLockedUntil" TIMESTAMP(3);

-- Four eyes on resetting a ggml staff member's second factor (or a person no organization owns): one
-- ggml admin records the request, a different one approves it, and only then is it reset.
CREATE TABLE "SecondFactorReset" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "approvedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SecondFactorReset_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "SecondFactorReset_userId_idx" ON "SecondFactorReset"("userId");
CREATE INDEX "SecondFactorReset_requestedById_idx" ON "SecondFactorReset"("requestedById");
CREATE INDEX "SecondFactorReset_approvedById_idx" ON "SecondFactorReset"("approvedById");
-- One open request per person: a second admin approves the one on the page, not one of several.
CREATE UNIQUE INDEX "SecondFactorReset_one_open" ON "SecondFactorReset"("userId") WHERE "decidedAt" IS NULL;
ALTER TABLE "SecondFactorReset" ADD CONSTRAINT "SecondFactorReset_userId_fkey"
  FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "SecondFactorReset" ADD CONSTRAINT "SecondFactorReset_requestedById_fkey"
  FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SecondFactorReset" ADD CONSTRAINT "SecondFactorReset_approvedById_fkey"
  FOREIGN KEY ("approvedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- The requester never approves their own request, whatever the code above it does; approved means decided.
ALTER TABLE "SecondFactorReset" ADD CONSTRAINT "SecondFactorReset_four_eyes_check"
  CHECK ("approvedById" IS NULL OR ("approvedById" <> "requestedById" AND "decidedAt" IS NOT NULL));
