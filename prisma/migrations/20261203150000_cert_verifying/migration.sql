-- A job whose result passed every check at upload waits here while the platform's worker recomputes
-- its proof of execution (issue 10).
ALTER TYPE "CertJobStatus" ADD VALUE 'verifying' AFTER 'running';
