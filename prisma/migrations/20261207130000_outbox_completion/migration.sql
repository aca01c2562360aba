-- PostgreSQL is the record of work (issue 24, decision 004): an outbox row stays open until its job has
-- done its work, so a reconciler can hand Redis again whatever Redis lost (a restart with no data).
-- Rows relayed before this are taken as done.
ALTER TABLE "OutboxMessage" ADD COLUMN "completedAt" TIMESTAMP(3);
UPDATE "OutboxMessage" SET "completedAt" = "relayedAt" WHERE "relayedAt" IS NOT NULL;
CREATE INDEX "OutboxMessage_completedAt_relayedAt_idx" ON "OutboxMessage"("completedAt", "relayedAt");
