-- AlterTable
ALTER TABLE "ContractEnvelope" ADD COLUMN     "recipients" JSONB NOT NULL DEFAULT '[]';
