-- Who owns an identity (issue 25, decision 018). An organization's SCIM deactivation suspends that
-- organization's membership only; the person's account, and their other memberships, stay as they are.
ALTER TABLE "Membership" ADD COLUMN "deactivatedAt" TIMESTAMP(3);
