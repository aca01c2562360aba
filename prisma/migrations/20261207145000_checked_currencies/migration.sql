-- Typed persistence (issue 27, docs/decisions/050-typed-persistence.md): the code reads a currency back with
-- toCurrency() (services/money/currency.ts), which trusts that the database holds only the supported codes.
-- Nine tables said so with a CHECK since 20261129; these six did not. Existing rows were all written through
-- the same code list (or the 'USD' default), so the constraints validate what is there and change nothing.
ALTER TABLE "RateCard" ADD CONSTRAINT "RateCard_currency_check"
  CHECK ("currency" IN ('USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'));
ALTER TABLE "Course" ADD CONSTRAINT "Course_currency_check"
  CHECK ("currency" IN ('USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'));
ALTER TABLE "Exam" ADD CONSTRAINT "Exam_currency_check"
  CHECK ("currency" IN ('USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'));
ALTER TABLE "TrainingOrder" ADD CONSTRAINT "TrainingOrder_currency_check"
  CHECK ("currency" IN ('USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'));
ALTER TABLE "TrainingBundle" ADD CONSTRAINT "TrainingBundle_currency_check"
  CHECK ("currency" IN ('USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'));
ALTER TABLE "TrainingSeatPack" ADD CONSTRAINT "TrainingSeatPack_currency_check"
  CHECK ("currency" IN ('USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'));
