-- AlterTable
ALTER TABLE "JournalEntry" ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "JournalEntry_seq_key" ON "JournalEntry"("seq");
