import { z } from 'zod'

// What an export covered, and what changed between two exports of the same month (issue 32). Pure.

export const correctionSchema = z.object({
  id: z.string(),
  journalNo: z.string(),
  date: z.string(),
  description: z.string(),
  partner: z.string(),
  currency: z.string(),
  amountMinor: z.string(),
  /** Why it concerns the month: it reverses one of its entries, or is for a service period in it. */
  reason: z.string(),
})
export type Correction = z.infer<typeof correctionSchema>

const accountSchema = z.object({ code: z.string(), name: z.string() })

export const manifestSchema = z.object({
  entries: z.array(z.object({ id: z.string(), journalNo: z.string(), digest: z.string() })),
  corrections: z.array(correctionSchema),
  mapping: z.record(z.string(), accountSchema),
  totals: z.array(z.object({ currency: z.string(), debitsMinor: z.string(), creditsMinor: z.string() })),
  files: z.array(z.object({ name: z.string(), sha256: z.string() })),
})
export type ExportManifest = z.infer<typeof manifestSchema>

export const changesSchema = z.object({
  /** The export compared with; null for a month's first export. */
  previousExportId: z.string().nullable(),
  /** Every file byte for byte the same as the previous export's. */
  identical: z.boolean(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  altered: z.array(z.string()),
  remapped: z.array(z.object({ account: z.string(), from: accountSchema.nullable(), to: accountSchema.nullable() })),
  /** Corrections of the month posted later (in an open month) that the previous export had not seen. */
  newCorrections: z.array(correctionSchema),
})
export type ExportChanges = z.infer<typeof changesSchema>

/** What changed since `previous` (the same month's last export), or everything is new when there is none. */
export function exportChanges(
  previous: { id: string; manifest: ExportManifest } | null,
  current: ExportManifest,
): ExportChanges {
  if (!previous)
    return {
      previousExportId: null,
      identical: false,
      added: [],
      removed: [],
      altered: [],
      remapped: [],
      newCorrections: current.corrections,
    }
  const before = new Map(previous.manifest.entries.map((e) => [e.id, e]))
  const after = new Map(current.entries.map((e) => [e.id, e]))
  const seen = new Set(previous.manifest.corrections.map((c) => c.id))
  const accounts = [...new Set([...Object.keys(previous.manifest.mapping), ...Object.keys(current.mapping)])].sort()
  const same = (a?: { code: string; name: string }, b?: { code: string; name: string }) =>
    a?.code === b?.code && a?.name === b?.name
  const filesBefore = previous.manifest.files.map((f) => `${f.name} ${f.sha256}`).join('\n')
  const filesAfter = current.files.map((f) => `${f.name} ${f.sha256}`).join('\n')
  return {
    previousExportId: previous.id,
    identical: filesBefore === filesAfter,
    added: current.entries.filter((e) => !before.has(e.id)).map((e) => e.journalNo),
    removed: previous.manifest.entries.filter((e) => !after.has(e.id)).map((e) => e.journalNo),
    altered: current.entries
      .filter((e) => before.has(e.id) && before.get(e.id)!.digest !== e.digest)
      .map((e) => e.journalNo),
    remapped: accounts
      .filter((a) => !same(previous.manifest.mapping[a], current.mapping[a]))
      .map((a) => ({ account: a, from: previous.manifest.mapping[a] ?? null, to: current.mapping[a] ?? null })),
    newCorrections: current.corrections.filter((c) => !seen.has(c.id)),
  }
}

/** The changes in a sentence or two, for the page and the audit log. */
export function describeChanges(c: ExportChanges): string[] {
  if (!c.previousExportId)
    return [
      'First export of this month.',
      ...(c.newCorrections.length
        ? [`${c.newCorrections.length} correction(s) of this month were posted later, in an open month.`]
        : []),
    ]
  const out: string[] = []
  if (c.identical) out.push('Files identical to the previous export, byte for byte.')
  if (c.added.length) out.push(`Entries added since: ${c.added.join(', ')}.`)
  if (c.removed.length) out.push(`Entries gone since: ${c.removed.join(', ')}.`)
  if (c.altered.length) out.push(`Entries changed since: ${c.altered.join(', ')}.`)
  for (const r of c.remapped)
    out.push(
      `${r.account} now exports as ${r.to ? `${r.to.code} ${r.to.name}` : 'nothing'}` +
        ` (was ${r.from ? `${r.from.code} ${r.from.name}` : 'unmapped'}).`,
    )
  for (const k of c.newCorrections)
    out.push(`Posted since: ${k.journalNo} on ${k.date}, ${k.description} (${k.partner}), ${k.reason}.`)
  if (!out.length) out.push('Nothing changed since the previous export.')
  return out
}
