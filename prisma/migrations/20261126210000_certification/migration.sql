-- CreateTable
CREATE TABLE "CertRunnerToken" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CertRunnerToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertRunner" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "fingerprint" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "CertRunner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertRequest" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "productName" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CertRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertJob" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "modelShape" TEXT NOT NULL,
    "modelType" TEXT NOT NULL,
    "modelSeed" INTEGER NOT NULL,
    "expectedModelSha256" TEXT NOT NULL,
    "nPrompt" INTEGER NOT NULL,
    "nGen" INTEGER NOT NULL,
    "repetitions" INTEGER NOT NULL,
    "claimedByRunnerId" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "progress" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CertJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertResult" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "runnerId" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "signature" TEXT NOT NULL,
    "checks" JSONB NOT NULL,
    "accepted" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CertResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertBadge" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "resultId" TEXT NOT NULL,
    "assurance" TEXT NOT NULL,
    "summary" JSONB NOT NULL,
    "reviewedById" TEXT,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "CertBadge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CertRunnerToken_tokenHash_key" ON "CertRunnerToken"("tokenHash");

-- CreateIndex
CREATE INDEX "CertRunnerToken_organizationId_idx" ON "CertRunnerToken"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "CertRunner_secretHash_key" ON "CertRunner"("secretHash");

-- CreateIndex
CREATE INDEX "CertRunner_organizationId_idx" ON "CertRunner"("organizationId");

-- CreateIndex
CREATE INDEX "CertRequest_organizationId_idx" ON "CertRequest"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "CertJob_nonce_key" ON "CertJob"("nonce");

-- CreateIndex
CREATE INDEX "CertJob_organizationId_idx" ON "CertJob"("organizationId");

-- CreateIndex
CREATE INDEX "CertJob_status_idx" ON "CertJob"("status");

-- CreateIndex
CREATE INDEX "CertResult_jobId_idx" ON "CertResult"("jobId");

-- CreateIndex
CREATE INDEX "CertResult_organizationId_idx" ON "CertResult"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "CertBadge_resultId_key" ON "CertBadge"("resultId");

-- CreateIndex
CREATE INDEX "CertBadge_organizationId_idx" ON "CertBadge"("organizationId");
