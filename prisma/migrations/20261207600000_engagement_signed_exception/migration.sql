-- An engagement becomes signed through its signed statement of work (issue 30). One signed outside the
-- platform (on paper, in the customer's own tool) is a recorded exception: a services lead asks with the
-- reason, someone else approves (another services lead, or ggml finance or an admin), never the same person.
ALTER TABLE "Engagement" ADD COLUMN "signedExceptionReason" TEXT;
ALTER TABLE "Engagement" ADD COLUMN "signedExceptionRequestedById" TEXT;
ALTER TABLE "Engagement" ADD COLUMN "signedExceptionApprovedById" TEXT;
ALTER TABLE "Engagement" ADD CONSTRAINT "Engagement_signed_exception_check" CHECK (
  ("signedExceptionReason" IS NULL) = ("signedExceptionRequestedById" IS NULL)
  AND ("signedExceptionApprovedById" IS NULL OR "signedExceptionApprovedById" <> "signedExceptionRequestedById"));
