-- A job may name the runner that runs it (a partner chooses runners; an engineer queues a
-- reproduction run on another unit), and records who queued it.
-- AlterTable
ALTER TABLE "CertJob" ADD COLUMN     "assignedRunnerId" TEXT,
ADD COLUMN     "queuedById" TEXT;
