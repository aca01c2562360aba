/** "GGML-2026-0007": the number partners and finance quote. */
export const contractNumber = (seq: number, createdAt: Date): string =>
  `GGML-${createdAt.getUTCFullYear()}-${String(seq).padStart(4, '0')}`
