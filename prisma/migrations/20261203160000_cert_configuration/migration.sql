-- The configuration a job must run with (issue 10): the runner records what actually ran and the
-- platform compares. node-llama-cpp runs one physical batch per logical batch (n_ubatch = n_batch),
-- so the specification names both at 512, the work of llama-bench's pp512 with its default n_ubatch.
ALTER TABLE "CertJob" ADD COLUMN "configuration" JSONB NOT NULL
  DEFAULT '{"nBatch": 512, "nUbatch": 512, "flashAttention": true, "typeK": "f16", "typeV": "f16"}';
