import { badgeStanding, isPublicBadge } from './badges.ts'
import { createHash } from 'node:crypto'
import type { Tx } from '../platform/db/client.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'

/** A file as a form posted it. */
export interface UploadedFile {
  name: string
  bytes: Uint8Array
}

const MAX_FILE_BYTES = 10_000_000

/** What a product may carry: one photo and one spec sheet, each under the form field named here. */
export const requestFileKinds = {
  photo: {
    field: 'photo',
    label: 'Photo',
    accepts: ['image/png', 'image/jpeg', 'image/webp'],
    hint: 'a PNG, JPEG or WebP image',
  },
  spec_sheet: { field: 'specSheet', label: 'Spec sheet', accepts: ['application/pdf'], hint: 'a PDF' },
} as const
export type RequestFileKind = keyof typeof requestFileKinds
const requestFileKindNames = ['photo', 'spec_sheet'] as const satisfies readonly RequestFileKind[]

/** The type a file is by its first bytes, not by its name or what the browser said. */
function sniff(b: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((x, i) => b[i] === x)
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png'
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg'
  if (starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50)
    return 'image/webp'
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'
  return null
}

/** Checks every file before anything is stored; an empty file input counts as no file. */
export function checkRequestFiles(
  files: Partial<Record<RequestFileKind, UploadedFile>>,
): { kind: RequestFileKind; name: string; contentType: string; bytes: Uint8Array }[] {
  const checked = []
  const errors: Record<string, string[]> = {}
  for (const kind of requestFileKindNames) {
    const file = files[kind]
    if (!file || file.bytes.byteLength === 0) continue
    const spec = requestFileKinds[kind]
    const contentType = sniff(file.bytes)
    const accepts: readonly string[] = spec.accepts
    if (file.bytes.byteLength > MAX_FILE_BYTES)
      errors[spec.field] = [
        `${spec.label}: at most 10 MB (this file is ${(file.bytes.byteLength / 1e6).toFixed(1)} MB).`,
      ]
    else if (!contentType || !accepts.includes(contentType))
      errors[spec.field] = [`${spec.label}: attach ${spec.hint}; “${file.name}” is not one.`]
    else
      checked.push({
        kind,
        name: file.name.replace(/[^\w.\- ()]/g, '_').slice(0, 120) || kind,
        contentType,
        bytes: file.bytes,
      })
  }
  if (Object.keys(errors).length) throw new AppError('invalid_input', 'Check the attached files.', errors)
  return checked
}

export async function storeRequestFiles(
  tx: Pick<Tx, 'certRequestFile'>,
  organizationId: string,
  requestId: string,
  files: ReturnType<typeof checkRequestFiles>,
) {
  for (const f of files) {
    await tx.certRequestFile.create({
      data: {
        id: newId(),
        organizationId,
        requestId,
        kind: f.kind,
        name: f.name,
        contentType: f.contentType,
        bytes: new Uint8Array(f.bytes),
        sha256: createHash('sha256').update(f.bytes).digest('hex'),
      },
    })
  }
}

/** A certified product's photo or spec sheet for its public badge page: only while the badge is public and in force. */
export async function badgeFile(badgeId: string, kind: RequestFileKind) {
  const badge = await unscopedDb('public page').certBadge.findUnique({
    where: { id: badgeId },
    select: { requestId: true, revokedAt: true, issuedAt: true, assurance: true },
  })
  if (!badge || !isPublicBadge(badge) || badgeStanding(badge).standing !== 'in force') return null
  return unscopedDb('public page').certRequestFile.findUnique({
    where: { requestId_kind: { requestId: badge.requestId, kind } },
  })
}
