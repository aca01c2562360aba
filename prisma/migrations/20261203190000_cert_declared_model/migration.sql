-- A partner's own model, declared at request time (issue 10): the tensor table the platform read from
-- the GGUF header the partner attached, bound to the file's SHA-256. Null for synthesized models, and
-- for partner jobs requested before this (their bounds fall back to the declared size).
ALTER TABLE "CertJob" ADD COLUMN "declaredModel" JSONB;
