-- ggml's own runner (issue 10: "Lab-verified"): registered by a certification engineer inside the
-- partner's organization, on a unit in ggml's lab. Only a lab token, which only certification
-- engineers can make, registers a lab runner.
ALTER TABLE "CertRunnerToken" ADD COLUMN "lab" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "CertRunner" ADD COLUMN "lab" BOOLEAN NOT NULL DEFAULT false;
