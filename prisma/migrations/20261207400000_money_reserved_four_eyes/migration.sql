-- Payments reserved, not hoped for; four eyes where the business expects them (issue 30).

-- A promotion code's use is reserved when a checkout opens, in the transaction that checks the limit
-- (under a lock on the code), released when the checkout expires, consumed when it is paid. The limit
-- counts consumed uses ("redeemed") plus open reservations, so two checkouts cannot both hold the last.
CREATE TYPE "TrainingRedemptionStatus" AS ENUM ('reserved', 'consumed', 'released');
CREATE TABLE "TrainingPromotionRedemption" (
    "orderId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "status" "TrainingRedemptionStatus" NOT NULL DEFAULT 'reserved',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),
    CONSTRAINT "TrainingPromotionRedemption_pkey" PRIMARY KEY ("orderId"),
    CONSTRAINT "TrainingPromotionRedemption_decided_check" CHECK (("status" = 'reserved') = ("decidedAt" IS NULL))
);
CREATE INDEX "TrainingPromotionRedemption_code_status_idx" ON "TrainingPromotionRedemption"("code", "status");
CREATE INDEX "TrainingPromotionRedemption_organizationId_idx" ON "TrainingPromotionRedemption"("organizationId");
ALTER TABLE "TrainingPromotionRedemption" ADD CONSTRAINT "TrainingPromotionRedemption_orderId_fkey"
  FOREIGN KEY ("orderId") REFERENCES "TrainingOrder"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "TrainingPromotionRedemption" ADD CONSTRAINT "TrainingPromotionRedemption_organizationId_fkey"
  FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "TrainingPromotionRedemption" ADD CONSTRAINT "TrainingPromotionRedemption_code_fkey"
  FOREIGN KEY ("code") REFERENCES "TrainingPromotionCode"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A payment that cannot be fulfilled is refunded automatically; the order says why.
ALTER TABLE "TrainingOrder" ADD COLUMN "refundReason" TEXT;

-- A seat pack priced below the floor waits for a second finance person's approval before it is posted
-- and invoiced; a pack is never free.
CREATE TYPE "SeatPackStatus" AS ENUM ('approved', 'pending_approval', 'declined');
ALTER TABLE "TrainingSeatPack" ADD COLUMN "status" "SeatPackStatus" NOT NULL DEFAULT 'approved';
ALTER TABLE "TrainingSeatPack" ADD COLUMN "requestedById" TEXT;
ALTER TABLE "TrainingSeatPack" ADD COLUMN "decidedById" TEXT;
ALTER TABLE "TrainingSeatPack" ADD COLUMN "decidedAt" TIMESTAMP(3);
ALTER TABLE "TrainingSeatPack" ADD CONSTRAINT "TrainingSeatPack_priced_check" CHECK ("priceMinor" > 0) NOT VALID;
ALTER TABLE "TrainingSeatPack" ADD CONSTRAINT "TrainingSeatPack_four_eyes_check"
  CHECK ("decidedById" IS NULL OR "requestedById" IS NULL OR "decidedById" <> "requestedById");

-- Exam accommodations and certificate revocations: one instructor asks, a second instructor or an
-- admin decides; the requester never decides their own.
CREATE TYPE "ExamApprovalKind" AS ENUM ('accommodation', 'certificate_revocation');
CREATE TYPE "ExamApprovalDecision" AS ENUM ('approved', 'declined');
CREATE TABLE "ExamApprovalRequest" (
    "id" TEXT NOT NULL,
    "kind" "ExamApprovalKind" NOT NULL,
    "organizationId" TEXT NOT NULL,
    "userId" TEXT,
    "examId" TEXT,
    "extraMinutes" INTEGER,
    "certificateId" TEXT,
    "reason" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "decidedById" TEXT,
    "decision" "ExamApprovalDecision",
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ExamApprovalRequest_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ExamApprovalRequest_four_eyes_check" CHECK ("decidedById" IS NULL OR "decidedById" <> "requestedById"),
    CONSTRAINT "ExamApprovalRequest_decided_check"
      CHECK (("decision" IS NULL) = ("decidedAt" IS NULL) AND ("decision" IS NULL) = ("decidedById" IS NULL)),
    CONSTRAINT "ExamApprovalRequest_kind_check" CHECK (
      ("kind" = 'accommodation' AND "userId" IS NOT NULL AND "examId" IS NOT NULL
        AND "extraMinutes" BETWEEN 1 AND 600 AND "certificateId" IS NULL)
      OR ("kind" = 'certificate_revocation' AND "certificateId" IS NOT NULL))
);
CREATE INDEX "ExamApprovalRequest_organizationId_idx" ON "ExamApprovalRequest"("organizationId");
-- One open request per candidate and exam, or per certificate: the second person decides the one shown.
CREATE UNIQUE INDEX "ExamApprovalRequest_one_open_accommodation" ON "ExamApprovalRequest"("userId", "examId")
  WHERE "decidedAt" IS NULL AND "kind" = 'accommodation';
CREATE UNIQUE INDEX "ExamApprovalRequest_one_open_revocation" ON "ExamApprovalRequest"("certificateId")
  WHERE "decidedAt" IS NULL AND "kind" = 'certificate_revocation';
ALTER TABLE "ExamApprovalRequest" ADD CONSTRAINT "ExamApprovalRequest_organizationId_fkey"
  FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
