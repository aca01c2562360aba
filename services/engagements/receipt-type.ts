/** The receipt types we keep, recognised by their first bytes, never by the name or the browser's word. */
const signatures: { type: 'image/png' | 'image/jpeg' | 'application/pdf'; magic: number[] }[] = [
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
]

export type ReceiptType = (typeof signatures)[number]['type']

export const receiptTypeOf = (bytes: Uint8Array): ReceiptType | null =>
  signatures.find((s) => s.magic.every((b, i) => bytes[i] === b))?.type ?? null

export const RECEIPT_MAX_BYTES = 10 * 1024 * 1024
