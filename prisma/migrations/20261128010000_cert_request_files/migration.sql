-- A certification request carries its product's photo and spec sheet (one of each, replaceable).
-- CreateTable
CREATE TABLE "CertRequestFile" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CertRequestFile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CertRequestFile_organizationId_idx" ON "CertRequestFile"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "CertRequestFile_requestId_kind_key" ON "CertRequestFile"("requestId", "kind");
