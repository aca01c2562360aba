-- Training: courses, exams drawn from reviewed item banks, attempts held to a server deadline,
-- certificates on the badges' status list, Stripe checkout orders and corporate seats (issue 11,
-- decision 016).
ALTER TYPE "OrganizationKind" ADD VALUE 'learner';
-- Corporate seat packs are invoiced through the ledger like services, on their own revenue line.
ALTER TYPE "JournalEntryKind" ADD VALUE 'training_invoice';
ALTER TYPE "LedgerAccountType" ADD VALUE 'training_revenue';

CREATE TYPE "EnrolmentSource" AS ENUM ('purchase', 'seat', 'grant');
CREATE TYPE "ExamItemKind" AS ENUM ('single', 'multiple');
CREATE TYPE "ExamItemVersionState" AS ENUM ('draft', 'in_review', 'live', 'superseded', 'rejected');
CREATE TYPE "ExamVoucherStatus" AS ENUM ('available', 'used', 'refunded', 'revoked');
CREATE TYPE "ExamAttemptStatus" AS ENUM ('active', 'submitted');
CREATE TYPE "TrainingOrderStatus" AS ENUM ('open', 'paid', 'refunded', 'expired');

CREATE TABLE "Course" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "prerequisites" TEXT NOT NULL,
    "priceMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "published" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Course_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Course_price_check" CHECK ("priceMinor" >= 0)
);
CREATE UNIQUE INDEX "Course_slug_key" ON "Course"("slug");

CREATE TABLE "CourseModule" (
    "id" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    CONSTRAINT "CourseModule_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "CourseModule_courseId_position_key" ON "CourseModule"("courseId", "position");
ALTER TABLE "CourseModule" ADD CONSTRAINT "CourseModule_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "CourseLesson" (
    "id" TEXT NOT NULL,
    "moduleId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "bodyMarkdown" TEXT NOT NULL,
    CONSTRAINT "CourseLesson_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "CourseLesson_moduleId_position_key" ON "CourseLesson"("moduleId", "position");
ALTER TABLE "CourseLesson" ADD CONSTRAINT "CourseLesson_moduleId_fkey" FOREIGN KEY ("moduleId") REFERENCES "CourseModule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "Enrolment" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "source" "EnrolmentSource" NOT NULL,
    "orderId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    CONSTRAINT "Enrolment_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Enrolment_orderId_key" ON "Enrolment"("orderId");
CREATE UNIQUE INDEX "Enrolment_userId_courseId_key" ON "Enrolment"("userId", "courseId");
CREATE INDEX "Enrolment_organizationId_idx" ON "Enrolment"("organizationId");
ALTER TABLE "Enrolment" ADD CONSTRAINT "Enrolment_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Enrolment" ADD CONSTRAINT "Enrolment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Enrolment" ADD CONSTRAINT "Enrolment_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "LessonCompletion" (
    "organizationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "completedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "LessonCompletion_pkey" PRIMARY KEY ("userId", "lessonId")
);
CREATE INDEX "LessonCompletion_organizationId_idx" ON "LessonCompletion"("organizationId");
ALTER TABLE "LessonCompletion" ADD CONSTRAINT "LessonCompletion_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "LessonCompletion" ADD CONSTRAINT "LessonCompletion_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "CourseLesson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "Exam" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "priceMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "courseId" TEXT,
    "timeLimitMinutes" INTEGER NOT NULL,
    "passPercent" INTEGER NOT NULL,
    "validityMonths" INTEGER NOT NULL,
    "blueprint" JSONB NOT NULL,
    "maxExposurePercent" INTEGER NOT NULL,
    "maxOverlapPercent" INTEGER NOT NULL,
    "retakeWaitDays" INTEGER[],
    "yearlyCap" INTEGER NOT NULL,
    "formsAssembled" INTEGER NOT NULL DEFAULT 0,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Exam_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Exam_policy_check" CHECK ("timeLimitMinutes" > 0 AND "passPercent" BETWEEN 1 AND 100
      AND "validityMonths" > 0 AND "maxExposurePercent" BETWEEN 1 AND 100 AND "maxOverlapPercent" BETWEEN 0 AND 100
      AND "yearlyCap" > 0 AND "priceMinor" >= 0)
);
CREATE UNIQUE INDEX "Exam_slug_key" ON "Exam"("slug");
ALTER TABLE "Exam" ADD CONSTRAINT "Exam_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "ExamItem" (
    "id" TEXT NOT NULL,
    "examId" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "exposureCount" INTEGER NOT NULL DEFAULT 0,
    "liveVersionId" TEXT,
    "retiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ExamItem_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ExamItem_liveVersionId_key" ON "ExamItem"("liveVersionId");
CREATE INDEX "ExamItem_examId_idx" ON "ExamItem"("examId");
ALTER TABLE "ExamItem" ADD CONSTRAINT "ExamItem_examId_fkey" FOREIGN KEY ("examId") REFERENCES "Exam"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "ExamItemVersion" (
    "id" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "kind" "ExamItemKind" NOT NULL,
    "stem" TEXT NOT NULL,
    "choices" JSONB NOT NULL,
    "key" TEXT[],
    "explanation" TEXT NOT NULL,
    "difficulty" INTEGER NOT NULL,
    "tags" TEXT[],
    "state" "ExamItemVersionState" NOT NULL DEFAULT 'draft',
    "authorId" TEXT NOT NULL,
    "reviewerId" TEXT,
    "reviewNote" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ExamItemVersion_pkey" PRIMARY KEY ("id"),
    -- A second instructor reviews: the author never approves their own item.
    CONSTRAINT "ExamItemVersion_reviewer_check" CHECK ("reviewerId" IS NULL OR "reviewerId" <> "authorId"),
    CONSTRAINT "ExamItemVersion_live_check" CHECK ("state" NOT IN ('live', 'superseded') OR "reviewerId" IS NOT NULL),
    CONSTRAINT "ExamItemVersion_key_check" CHECK (cardinality("key") >= 1 AND "difficulty" BETWEEN 1 AND 5)
);
CREATE UNIQUE INDEX "ExamItemVersion_itemId_version_key" ON "ExamItemVersion"("itemId", "version");
ALTER TABLE "ExamItemVersion" ADD CONSTRAINT "ExamItemVersion_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "ExamItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ExamItem" ADD CONSTRAINT "ExamItem_liveVersionId_fkey" FOREIGN KEY ("liveVersionId") REFERENCES "ExamItemVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A reviewed version's content is history: attempts pinned it. Only a key correction (audited,
-- re-scoring) may change its key, and only through the use case that sets ggml.key_correction.
CREATE FUNCTION "exam_item_version_frozen"() RETURNS trigger AS $$
BEGIN
  IF OLD."state" IN ('live', 'superseded') AND (NEW."stem" <> OLD."stem" OR NEW."choices" <> OLD."choices"
      OR NEW."kind" <> OLD."kind" OR NEW."authorId" <> OLD."authorId" OR NEW."reviewerId" IS DISTINCT FROM OLD."reviewerId"
      OR (NEW."key" <> OLD."key" AND coalesce(current_setting('ggml.key_correction', true), '') <> 'on')) THEN
    RAISE EXCEPTION 'A reviewed item version is frozen: write a new version (or correct its key).'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER "ExamItemVersion_frozen" BEFORE UPDATE ON "ExamItemVersion"
  FOR EACH ROW EXECUTE FUNCTION "exam_item_version_frozen"();

CREATE TABLE "ExamKeyCorrection" (
    "id" TEXT NOT NULL,
    "itemVersionId" TEXT NOT NULL,
    "previousKey" TEXT[],
    "correctedKey" TEXT[],
    "reason" TEXT NOT NULL,
    "correctedById" TEXT NOT NULL,
    "rescored" INTEGER NOT NULL,
    "changedResults" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ExamKeyCorrection_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "ExamKeyCorrection" ADD CONSTRAINT "ExamKeyCorrection_itemVersionId_fkey" FOREIGN KEY ("itemVersionId") REFERENCES "ExamItemVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "ExamAccommodation" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "examId" TEXT NOT NULL,
    "extraMinutes" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "approvedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ExamAccommodation_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ExamAccommodation_minutes_check" CHECK ("extraMinutes" BETWEEN 1 AND 600)
);
CREATE UNIQUE INDEX "ExamAccommodation_userId_examId_key" ON "ExamAccommodation"("userId", "examId");
CREATE INDEX "ExamAccommodation_organizationId_idx" ON "ExamAccommodation"("organizationId");
ALTER TABLE "ExamAccommodation" ADD CONSTRAINT "ExamAccommodation_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ExamAccommodation" ADD CONSTRAINT "ExamAccommodation_examId_fkey" FOREIGN KEY ("examId") REFERENCES "Exam"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "ExamVoucher" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "examId" TEXT NOT NULL,
    "userId" TEXT,
    "status" "ExamVoucherStatus" NOT NULL DEFAULT 'available',
    "orderId" TEXT,
    "seatId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    CONSTRAINT "ExamVoucher_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ExamVoucher_used_check" CHECK (("status" = 'used') = ("usedAt" IS NOT NULL))
);
CREATE UNIQUE INDEX "ExamVoucher_orderId_key" ON "ExamVoucher"("orderId");
CREATE UNIQUE INDEX "ExamVoucher_seatId_key" ON "ExamVoucher"("seatId");
CREATE INDEX "ExamVoucher_organizationId_idx" ON "ExamVoucher"("organizationId");
CREATE INDEX "ExamVoucher_userId_idx" ON "ExamVoucher"("userId");
ALTER TABLE "ExamVoucher" ADD CONSTRAINT "ExamVoucher_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ExamVoucher" ADD CONSTRAINT "ExamVoucher_examId_fkey" FOREIGN KEY ("examId") REFERENCES "Exam"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "ExamAttempt" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "examId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "seed" TEXT NOT NULL,
    "status" "ExamAttemptStatus" NOT NULL DEFAULT 'active',
    "voucherId" TEXT,
    "freeRetake" BOOLEAN NOT NULL DEFAULT false,
    "extraMinutes" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "deadline" TIMESTAMP(3) NOT NULL,
    "submittedAt" TIMESTAMP(3),
    "submittedBy" TEXT,
    "correct" INTEGER,
    "total" INTEGER NOT NULL,
    "percent" INTEGER,
    "passed" BOOLEAN,
    "domainScores" JSONB,
    "resultReleasedAt" TIMESTAMP(3),
    CONSTRAINT "ExamAttempt_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ExamAttempt_submitted_check" CHECK (("status" = 'submitted') = ("submittedAt" IS NOT NULL AND "passed" IS NOT NULL)),
    CONSTRAINT "ExamAttempt_deadline_check" CHECK ("deadline" > "startedAt")
);
CREATE UNIQUE INDEX "ExamAttempt_voucherId_key" ON "ExamAttempt"("voucherId");
CREATE UNIQUE INDEX "ExamAttempt_userId_examId_number_key" ON "ExamAttempt"("userId", "examId", "number");
CREATE INDEX "ExamAttempt_organizationId_idx" ON "ExamAttempt"("organizationId");
CREATE INDEX "ExamAttempt_examId_status_idx" ON "ExamAttempt"("examId", "status");
-- One active attempt per candidate, whatever the exam: two tabs cannot both start.
CREATE UNIQUE INDEX "ExamAttempt_one_active" ON "ExamAttempt"("userId") WHERE "status" = 'active';
ALTER TABLE "ExamAttempt" ADD CONSTRAINT "ExamAttempt_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ExamAttempt" ADD CONSTRAINT "ExamAttempt_examId_fkey" FOREIGN KEY ("examId") REFERENCES "Exam"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ExamAttempt" ADD CONSTRAINT "ExamAttempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ExamAttempt" ADD CONSTRAINT "ExamAttempt_voucherId_fkey" FOREIGN KEY ("voucherId") REFERENCES "ExamVoucher"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "ExamAttemptItem" (
    "attemptId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "organizationId" TEXT NOT NULL,
    "itemVersionId" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "choiceOrder" TEXT[],
    "answer" TEXT[],
    "answeredAt" TIMESTAMP(3),
    "correct" BOOLEAN,
    CONSTRAINT "ExamAttemptItem_pkey" PRIMARY KEY ("attemptId", "position")
);
CREATE INDEX "ExamAttemptItem_itemVersionId_idx" ON "ExamAttemptItem"("itemVersionId");
CREATE INDEX "ExamAttemptItem_organizationId_idx" ON "ExamAttemptItem"("organizationId");
ALTER TABLE "ExamAttemptItem" ADD CONSTRAINT "ExamAttemptItem_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "ExamAttempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ExamAttemptItem" ADD CONSTRAINT "ExamAttemptItem_itemVersionId_fkey" FOREIGN KEY ("itemVersionId") REFERENCES "ExamItemVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ExamAttemptItem" ADD CONSTRAINT "ExamAttemptItem_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- An answer counts only while its attempt is active and before its deadline, whatever the caller
-- checked: the database has the last word. FOR SHARE orders it against a submission, which locks the
-- attempt FOR UPDATE before reading the answers: an answer either commits before the score is taken
-- (and counts) or waits and is refused, never "saved" and left out.
CREATE FUNCTION "exam_answer_in_time"() RETURNS trigger AS $$
DECLARE a RECORD;
BEGIN
  IF NEW."answer" IS DISTINCT FROM OLD."answer" THEN
    SELECT "status", "deadline" INTO a FROM "ExamAttempt" WHERE "id" = NEW."attemptId" FOR SHARE;
    IF a."status" <> 'active' OR NEW."answeredAt" IS NULL OR NEW."answeredAt" > a."deadline" THEN
      RAISE EXCEPTION 'This attempt is closed: answers after its deadline or submission are refused.'
        USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER "ExamAttemptItem_in_time" BEFORE UPDATE ON "ExamAttemptItem"
  FOR EACH ROW EXECUTE FUNCTION "exam_answer_in_time"();

CREATE TABLE "Certificate" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "examId" TEXT NOT NULL,
    "attemptId" TEXT NOT NULL,
    "holderName" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "statusIndex" INTEGER NOT NULL DEFAULT nextval('"CertBadge_statusIndex_seq"'::regclass),
    "revokedAt" TIMESTAMP(3),
    "revokedReason" TEXT,
    CONSTRAINT "Certificate_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Certificate_attemptId_key" ON "Certificate"("attemptId");
CREATE UNIQUE INDEX "Certificate_statusIndex_key" ON "Certificate"("statusIndex");
CREATE INDEX "Certificate_organizationId_idx" ON "Certificate"("organizationId");
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_examId_fkey" FOREIGN KEY ("examId") REFERENCES "Exam"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "ExamAttempt"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "TrainingOrder" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "product" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "listPriceMinor" BIGINT NOT NULL,
    "discountMinor" BIGINT NOT NULL DEFAULT 0,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "promotionCode" TEXT,
    "stripeSessionId" TEXT,
    "paymentIntent" TEXT,
    "status" "TrainingOrderStatus" NOT NULL DEFAULT 'open',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paidAt" TIMESTAMP(3),
    "refundedAt" TIMESTAMP(3),
    CONSTRAINT "TrainingOrder_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "TrainingOrder_amount_check" CHECK ("product" IN ('course', 'exam') AND "discountMinor" >= 0
      AND "amountMinor" = "listPriceMinor" - "discountMinor" AND "amountMinor" >= 0)
);
CREATE UNIQUE INDEX "TrainingOrder_stripeSessionId_key" ON "TrainingOrder"("stripeSessionId");
CREATE INDEX "TrainingOrder_organizationId_idx" ON "TrainingOrder"("organizationId");
ALTER TABLE "TrainingOrder" ADD CONSTRAINT "TrainingOrder_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "TrainingOrder" ADD CONSTRAINT "TrainingOrder_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "TrainingPromotionCode" (
    "code" TEXT NOT NULL,
    "percentOff" INTEGER NOT NULL,
    "maxRedemptions" INTEGER NOT NULL,
    "redeemed" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TrainingPromotionCode_pkey" PRIMARY KEY ("code"),
    CONSTRAINT "TrainingPromotionCode_check" CHECK ("percentOff" BETWEEN 1 AND 100 AND "redeemed" BETWEEN 0 AND "maxRedemptions")
);

CREATE TABLE "TrainingSeatPack" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "examId" TEXT NOT NULL,
    "seats" INTEGER NOT NULL,
    "priceMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "invoiceId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TrainingSeatPack_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "TrainingSeatPack_seats_check" CHECK ("seats" > 0 AND "priceMinor" >= 0)
);
CREATE INDEX "TrainingSeatPack_organizationId_idx" ON "TrainingSeatPack"("organizationId");
ALTER TABLE "TrainingSeatPack" ADD CONSTRAINT "TrainingSeatPack_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "TrainingSeatPack" ADD CONSTRAINT "TrainingSeatPack_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "TrainingSeatPack" ADD CONSTRAINT "TrainingSeatPack_examId_fkey" FOREIGN KEY ("examId") REFERENCES "Exam"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "TrainingSeat" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "packId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "userId" TEXT,
    "assignedAt" TIMESTAMP(3) NOT NULL,
    "releasedAt" TIMESTAMP(3),
    CONSTRAINT "TrainingSeat_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "TrainingSeat_organizationId_idx" ON "TrainingSeat"("organizationId");
CREATE INDEX "TrainingSeat_packId_idx" ON "TrainingSeat"("packId");
-- One held seat per person per pack.
CREATE UNIQUE INDEX "TrainingSeat_one_per_person" ON "TrainingSeat"("packId", "email") WHERE "releasedAt" IS NULL;
ALTER TABLE "TrainingSeat" ADD CONSTRAINT "TrainingSeat_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "TrainingSeat" ADD CONSTRAINT "TrainingSeat_packId_fkey" FOREIGN KEY ("packId") REFERENCES "TrainingSeatPack"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "LearnerSignup" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LearnerSignup_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "LearnerSignup_tokenHash_key" ON "LearnerSignup"("tokenHash");
CREATE INDEX "LearnerSignup_email_idx" ON "LearnerSignup"("email");
