-- Every API token expires (issue 25): a leaked token stops working on its own. Tokens made before
-- this keep a year from their creation, so no integration breaks the day this ships.
ALTER TABLE "ApiToken" ADD COLUMN "expiresAt" TIMESTAMP(3);
UPDATE "ApiToken" SET "expiresAt" = "createdAt" + INTERVAL '365 days';
ALTER TABLE "ApiToken" ALTER COLUMN "expiresAt" SET NOT NULL;
