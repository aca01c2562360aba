-- SAML single sign-on (docs/decisions/015): connections, the requests we sent, the assertions used.
CREATE TABLE "SamlConnection" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "idpEntityId" TEXT NOT NULL,
    "idpSsoUrl" TEXT NOT NULL,
    "idpCertificates" TEXT[],
    "allowIdpInitiated" BOOLEAN NOT NULL DEFAULT false,
    "defaultRole" "Role" NOT NULL,
    "groupRoles" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "SamlConnection_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "SamlConnection_id_organizationId_key" ON "SamlConnection"("id", "organizationId");
CREATE INDEX "SamlConnection_organizationId_idx" ON "SamlConnection"("organizationId");
ALTER TABLE "SamlConnection" ADD CONSTRAINT "SamlConnection_organizationId_fkey"
  FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- Staff roles are granted by ggml only, never through a customer's identity provider.
ALTER TABLE "SamlConnection" ADD CONSTRAINT "SamlConnection_role_check"
  CHECK ("defaultRole" IN ('partner_admin', 'partner_finance', 'partner_engineer', 'learner'));
ALTER TABLE "SamlConnection" ADD CONSTRAINT "SamlConnection_certificates_check"
  CHECK (cardinality("idpCertificates") BETWEEN 1 AND 5);

CREATE TABLE "SamlRequest" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SamlRequest_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "SamlRequest_expiresAt_idx" ON "SamlRequest"("expiresAt");
ALTER TABLE "SamlRequest" ADD CONSTRAINT "SamlRequest_connectionId_fkey"
  FOREIGN KEY ("connectionId") REFERENCES "SamlConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "SamlAssertionUse" (
    "connectionId" TEXT NOT NULL,
    "assertionId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SamlAssertionUse_pkey" PRIMARY KEY ("connectionId", "assertionId")
);
CREATE INDEX "SamlAssertionUse_expiresAt_idx" ON "SamlAssertionUse"("expiresAt");
ALTER TABLE "SamlAssertionUse" ADD CONSTRAINT "SamlAssertionUse_connectionId_fkey"
  FOREIGN KEY ("connectionId") REFERENCES "SamlConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
