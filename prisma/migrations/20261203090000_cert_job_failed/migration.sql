-- A job whose result the platform refused ends as failed, with what failed and what to do, instead
-- of staying "running" for good (issue 10).
ALTER TYPE "CertJobStatus" ADD VALUE 'failed';
