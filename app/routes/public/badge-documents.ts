import type { Route } from './+types/badge-documents'
import { badgeCredential, shieldsEndpoint } from '#services/certification/badge-credential.ts'
import { publicBadge } from '#services/certification/badges.ts'
import { badgeFile } from '#services/certification/request-files.ts'
import { fileResponse } from '#app/lib/file-response.server.ts'
import { toLlamaBenchJson, toLlamaBenchSql } from '#certification-lab/benchmark/llama-bench-export.ts'
import type { LlamaBenchRecord } from '#certification-lab/benchmark/llama-bench.ts'

// /badges/<id>/credential.json (the signed Open Badges credential), /badges/<id>/shields.json, the
// llama-bench exports, and the product's photo and spec sheet.
export async function loader({ params }: Route.LoaderArgs) {
  const notFound = () => {
    throw new Response('No such badge.', { status: 404 })
  }
  if (params.document === 'credential.json')
    return Response.json(await badgeCredential(params.badgeId).catch(notFound), {
      headers: { 'Content-Type': 'application/vc+json' },
    })
  if (params.document === 'llama-bench.json' || params.document === 'llama-bench.sql') {
    const b = await publicBadge(params.badgeId).catch(notFound)
    const records = (b.result as { records: LlamaBenchRecord[] }).records
    return params.document === 'llama-bench.json'
      ? fileResponse(toLlamaBenchJson(records), { contentType: 'application/json', filename: 'llama-bench.json' })
      : fileResponse(toLlamaBenchSql(records), {
          contentType: 'application/sql; charset=utf-8',
          filename: 'llama-bench.sql',
        })
  }
  // The certified product's photo (shown on the badge page) and spec sheet (downloaded), as the partner
  // attached them: type checked by content at upload, served sandboxed, and not at all once revoked.
  if (params.document === 'photo' || params.document === 'spec-sheet') {
    const photo = params.document === 'photo'
    const file = (await badgeFile(params.badgeId, photo ? 'photo' : 'spec_sheet')) ?? notFound()
    return fileResponse(file.bytes, {
      contentType: file.contentType,
      filename: file.name,
      disposition: photo ? 'inline' : 'attachment',
      cache: 'public',
    })
  }
  if (params.document === 'shields.json')
    return Response.json(await shieldsEndpoint(params.badgeId).catch(notFound), {
      headers: { 'Cache-Control': 'public, max-age=300' },
    })
  return notFound()
}
