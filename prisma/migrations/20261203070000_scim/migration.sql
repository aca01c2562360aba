-- SCIM 2.0 provisioning (docs/decisions/015): the IdP's id for each person, and its groups.
ALTER TABLE "Membership" ADD COLUMN "scimExternalId" TEXT;

CREATE TABLE "ScimGroup" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "externalId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ScimGroup_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ScimGroup_organizationId_displayName_key" ON "ScimGroup"("organizationId", "displayName");
CREATE UNIQUE INDEX "ScimGroup_id_organizationId_key" ON "ScimGroup"("id", "organizationId");
ALTER TABLE "ScimGroup" ADD CONSTRAINT "ScimGroup_organizationId_fkey"
  FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "ScimGroupMember" (
    "groupId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    CONSTRAINT "ScimGroupMember_pkey" PRIMARY KEY ("groupId", "userId")
);
CREATE INDEX "ScimGroupMember_userId_idx" ON "ScimGroupMember"("userId");
ALTER TABLE "ScimGroupMember" ADD CONSTRAINT "ScimGroupMember_groupId_organizationId_fkey"
  FOREIGN KEY ("groupId", "organizationId") REFERENCES "ScimGroup"("id", "organizationId")
  ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ScimGroupMember" ADD CONSTRAINT "ScimGroupMember_userId_fkey"
  FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
