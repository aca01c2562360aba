-- AlterTable
ALTER TABLE "CertBadge" ADD COLUMN     "statusIndex" SERIAL NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "CertBadge_statusIndex_key" ON "CertBadge"("statusIndex");
