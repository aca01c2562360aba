-- Email domains an organization proved it owns (a DNS TXT record), which may require SSO (decision 015).
CREATE TABLE "OrganizationDomain" (
    "domain" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "verifiedAt" TIMESTAMP(3),
    "requireSso" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OrganizationDomain_pkey" PRIMARY KEY ("domain")
);
CREATE INDEX "OrganizationDomain_organizationId_idx" ON "OrganizationDomain"("organizationId");
ALTER TABLE "OrganizationDomain" ADD CONSTRAINT "OrganizationDomain_organizationId_fkey"
  FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "OrganizationDomain" ADD CONSTRAINT "OrganizationDomain_domain_check"
  CHECK ("domain" ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$');
ALTER TABLE "OrganizationDomain" ADD CONSTRAINT "OrganizationDomain_sso_check"
  CHECK (NOT "requireSso" OR "verifiedAt" IS NOT NULL);
