-- What a partner's documents bill to (issue 28): its legal name, postal address and tax id, as its
-- admins or finance people keep them on the Billing details page. Empty until they do; the documents
-- then show the organization's name.
ALTER TABLE "Organization" ADD COLUMN "legalName" TEXT;
ALTER TABLE "Organization" ADD COLUMN "billingAddress" TEXT;
ALTER TABLE "Organization" ADD COLUMN "taxId" TEXT;
