-- Issue 30: an automatic refund is committed as 'refunding' before Stripe is asked, so a rollback after
-- Stripe refunded can never put the order back to 'open' (where a retried fulfil job would grant it).
ALTER TYPE "TrainingOrderStatus" ADD VALUE 'refunding' BEFORE 'refunded';
