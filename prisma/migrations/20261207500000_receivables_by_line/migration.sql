-- A chart of accounts that says what it holds (issue 30): services and training bill to receivables of
-- their own, not to royalty_receivable. Entries already posted stay where they are (the ledger is
-- immutable); a payment credits the receivable its invoice debited, so each account still balances.
ALTER TYPE "LedgerAccountType" ADD VALUE 'services_receivable' AFTER 'royalty_receivable';
ALTER TYPE "LedgerAccountType" ADD VALUE 'training_receivable' AFTER 'services_receivable';
