-- A job whose synthesized model the platform has yet to make waits here while the worker
-- synthesizes it (issue 10: a 7B-class request blocked the web process for minutes).
ALTER TYPE "CertJobStatus" ADD VALUE 'preparing' BEFORE 'queued';
