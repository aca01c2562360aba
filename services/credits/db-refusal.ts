/** Whether a database error is the trigger refusal whose message contains `text` (however Prisma wraps it). */
export function refusedBy(error: unknown, text: string): boolean {
  const e = error as { message?: unknown; meta?: unknown; cause?: unknown }
  const seen = `${String(e?.message ?? '')} ${safeJson(e?.meta)} ${safeJson(e?.cause)}`
  return seen.includes(text)
}

const safeJson = (v: unknown) => {
  try {
    return JSON.stringify(v) ?? ''
  } catch {
    return ''
  }
}
