-- Outgoing webhooks, continued (issue 32, decision 025): retries on the platform's clock for three
-- days, an endpoint disabled after them with its reason, secret rotation with an overlap, and an
-- event written once per thing (an invoice falls overdue once). Grants come from the default
-- privileges the migrator sets (decision 020).
ALTER TABLE "WebhookEndpoint" ADD COLUMN "disabledReason" TEXT;
ALTER TABLE "WebhookEndpoint" ADD COLUMN "previousSecretSealed" TEXT;
ALTER TABLE "WebhookEndpoint" ADD COLUMN "previousSecretExpiresAt" TIMESTAMP(3);

ALTER TABLE "WebhookEvent" ADD COLUMN "dedupKey" TEXT;
CREATE UNIQUE INDEX "WebhookEvent_organizationId_dedupKey_key" ON "WebhookEvent"("organizationId", "dedupKey");

ALTER TABLE "WebhookDelivery" ADD COLUMN "nextAttemptAt" TIMESTAMP(3);
CREATE INDEX "WebhookDelivery_nextAttemptAt_idx" ON "WebhookDelivery"("nextAttemptAt");
