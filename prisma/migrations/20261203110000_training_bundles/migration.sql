-- Bundles: a course and its exam voucher sold together (issue 11).
CREATE TABLE "TrainingBundle" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "examId" TEXT NOT NULL,
    "priceMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "published" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TrainingBundle_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "TrainingBundle_price_check" CHECK ("priceMinor" >= 0)
);
CREATE UNIQUE INDEX "TrainingBundle_slug_key" ON "TrainingBundle"("slug");
ALTER TABLE "TrainingBundle" ADD CONSTRAINT "TrainingBundle_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "TrainingBundle" ADD CONSTRAINT "TrainingBundle_examId_fkey" FOREIGN KEY ("examId") REFERENCES "Exam"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "TrainingOrder" DROP CONSTRAINT "TrainingOrder_amount_check";
ALTER TABLE "TrainingOrder" ADD CONSTRAINT "TrainingOrder_amount_check" CHECK ("product" IN ('course', 'exam', 'bundle')
  AND "discountMinor" >= 0 AND "amountMinor" = "listPriceMinor" - "discountMinor" AND "amountMinor" >= 0);
