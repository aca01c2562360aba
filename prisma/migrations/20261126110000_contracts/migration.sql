-- CreateEnum
CREATE TYPE "ContractKind" AS ENUM ('mou', 'paid_pilot', 'production_license');

-- CreateEnum
CREATE TYPE "ContractStatus" AS ENUM ('draft', 'pending_approval', 'approved', 'sent', 'signed', 'active', 'expired', 'terminated');

-- CreateEnum
CREATE TYPE "ContractVersionState" AS ENUM ('draft', 'pending_approval', 'approved', 'sent', 'signed');

-- CreateEnum
CREATE TYPE "EnvelopeStatus" AS ENUM ('created', 'sent', 'delivered', 'completed', 'declined', 'voided');

-- CreateTable
CREATE TABLE "Contract" (
    "id" TEXT NOT NULL,
    "seq" SERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "kind" "ContractKind" NOT NULL,
    "status" "ContractStatus" NOT NULL DEFAULT 'draft',
    "createdById" TEXT,
    "terminatedAt" TIMESTAMP(3),
    "terminationReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Contract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractVersion" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "effectiveFrom" DATE NOT NULL,
    "terms" JSONB NOT NULL,
    "termsSha256" TEXT NOT NULL,
    "state" "ContractVersionState" NOT NULL DEFAULT 'draft',
    "priceBookExceptions" JSONB NOT NULL DEFAULT '[]',
    "partnerSignerUserId" TEXT,
    "ggmlSignerUserId" TEXT,
    "createdById" TEXT,
    "submittedById" TEXT,
    "submittedAt" TIMESTAMP(3),
    "approvedById" TEXT,
    "approvedAt" TIMESTAMP(3),
    "approvalNote" TEXT,
    "sentAt" TIMESTAMP(3),
    "signedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContractVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractEnvelope" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "contractVersionId" TEXT NOT NULL,
    "envelopeId" TEXT NOT NULL,
    "status" "EnvelopeStatus" NOT NULL,
    "statusChangedAt" TIMESTAMP(3),
    "declineReason" TEXT,
    "voidReason" TEXT,
    "completedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContractEnvelope_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractDocument" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "contractVersionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContractDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractEvent" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "contractVersionId" TEXT,
    "type" TEXT NOT NULL,
    "actorUserId" TEXT,
    "actorEmail" TEXT,
    "reason" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContractEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DocuSignWebhookDelivery" (
    "id" TEXT NOT NULL,
    "envelopeId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "DocuSignWebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Contract_seq_key" ON "Contract"("seq");

-- CreateIndex
CREATE INDEX "Contract_organizationId_idx" ON "Contract"("organizationId");

-- CreateIndex
CREATE INDEX "ContractVersion_organizationId_idx" ON "ContractVersion"("organizationId");

-- CreateIndex
CREATE INDEX "ContractVersion_state_idx" ON "ContractVersion"("state");

-- CreateIndex
CREATE UNIQUE INDEX "ContractVersion_contractId_version_key" ON "ContractVersion"("contractId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "ContractEnvelope_envelopeId_key" ON "ContractEnvelope"("envelopeId");

-- CreateIndex
CREATE INDEX "ContractEnvelope_organizationId_idx" ON "ContractEnvelope"("organizationId");

-- CreateIndex
CREATE INDEX "ContractEnvelope_contractVersionId_idx" ON "ContractEnvelope"("contractVersionId");

-- CreateIndex
CREATE INDEX "ContractDocument_organizationId_idx" ON "ContractDocument"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "ContractDocument_contractVersionId_kind_key" ON "ContractDocument"("contractVersionId", "kind");

-- CreateIndex
CREATE INDEX "ContractEvent_contractId_createdAt_idx" ON "ContractEvent"("contractId", "createdAt");

-- CreateIndex
CREATE INDEX "ContractEvent_organizationId_idx" ON "ContractEvent"("organizationId");

-- CreateIndex
CREATE INDEX "DocuSignWebhookDelivery_envelopeId_idx" ON "DocuSignWebhookDelivery"("envelopeId");

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractVersion" ADD CONSTRAINT "ContractVersion_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractEnvelope" ADD CONSTRAINT "ContractEnvelope_contractVersionId_fkey" FOREIGN KEY ("contractVersionId") REFERENCES "ContractVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractDocument" ADD CONSTRAINT "ContractDocument_contractVersionId_fkey" FOREIGN KEY ("contractVersionId") REFERENCES "ContractVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractEvent" ADD CONSTRAINT "ContractEvent_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A signed version never changes (hand-written; Prisma has no syntax for triggers): amendments are
-- new versions. Only the bookkeeping columns may still move (updatedAt).
CREATE FUNCTION "contract_version_signed_is_final"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."state" = 'signed' THEN RAISE EXCEPTION 'ContractVersion % is signed and cannot be deleted', OLD."id"; END IF;
    RETURN OLD;
  END IF;
  IF OLD."state" = 'signed' AND (
       NEW."state" IS DISTINCT FROM OLD."state" OR NEW."terms" IS DISTINCT FROM OLD."terms"
    OR NEW."termsSha256" IS DISTINCT FROM OLD."termsSha256" OR NEW."effectiveFrom" IS DISTINCT FROM OLD."effectiveFrom"
    OR NEW."version" IS DISTINCT FROM OLD."version" OR NEW."contractId" IS DISTINCT FROM OLD."contractId"
    OR NEW."organizationId" IS DISTINCT FROM OLD."organizationId" OR NEW."signedAt" IS DISTINCT FROM OLD."signedAt") THEN
    RAISE EXCEPTION 'ContractVersion % is signed and cannot change; amend the contract instead', OLD."id";
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "ContractVersion_signed_is_final"
  BEFORE UPDATE OR DELETE ON "ContractVersion"
  FOR EACH ROW EXECUTE FUNCTION "contract_version_signed_is_final"();

-- Stored documents are evidence: never rewritten or removed.
CREATE FUNCTION "contract_document_is_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ContractDocument is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "ContractDocument_append_only"
  BEFORE UPDATE OR DELETE ON "ContractDocument"
  FOR EACH ROW EXECUTE FUNCTION "contract_document_is_append_only"();
