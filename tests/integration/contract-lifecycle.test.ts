import { docusignConfig } from '../../services/platform/docusign/docusign-config.ts'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalDocuSign } from '../../fakes/docusign/boot-local-docusign.ts'
import type { LocalDocuSign } from '../../fakes/docusign/local-docusign.ts'
import { approveContractVersion } from '../../services/contracts/approve-contract.ts'
import { submitForApproval } from '#services/contracts/submit-for-approval.ts'
import { draftContract } from '../../services/contracts/draft-contract.ts'
import { amendContract } from '#services/contracts/amend-contract.ts'
import { sendForSignature } from '../../services/contracts/send-for-signature.ts'
import { openSigningSession } from '#services/contracts/open-signing-session.ts'
import { syncEnvelope } from '../../services/contracts/sync-envelope.ts'
import { db } from '../../services/platform/db/client.ts'
import { docusignClient } from '../../services/platform/docusign/docusign-client.ts'
import { connectSignature } from '../../services/platform/docusign/verify-connect-signature.ts'
import { startAppServer } from '../support/app-server.ts'
import { completeSigning, contractCast, scopeFor, termsStartingToday } from '../support/contracts.ts'
import { drainJobs } from '../support/jobs.ts'
import { jobHandlers } from '../../server/job-handlers.ts'
import { todayUtc } from '../../services/platform/clock.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
let docusign: LocalDocuSign
beforeAll(async () => {
  server = await startAppServer()
  docusign = await bootLocalDocuSign({ connectUrl: `${server.url}/webhooks/docusign` })
})
afterAll(async () => {
  await docusign.close()
  await server.close()
})

const settle = async () => {
  await docusign.settled()
  await drainJobs()
}

async function draftedAndApproved(terms = termsStartingToday({ revenueShare: { percent: '3.00' } })) {
  const cast = await contractCast()
  const managerScope = await scopeFor(cast.manager.id, cast.partner.id, 'contracts.draft')
  const { contract, version } = await draftContract(managerScope, {
    title: `${cast.partner.name} production license`,
    kind: 'production_license',
    terms,
  })
  const submitted = await submitForApproval(managerScope, version.id)
  if (submitted.needsFinance)
    await approveContractVersion(
      await scopeFor(cast.finance.id, cast.partner.id, 'contracts.approve'),
      version.id,
      'Launch partner discount',
    )
  return { ...cast, contract, version, managerScope }
}

async function signBoth(c: Awaited<ReturnType<typeof draftedAndApproved>>, versionId: string) {
  const partnerUrl = await openSigningSession(
    await scopeFor(c.partnerAdmin.id, c.partner.id, 'contracts.sign'),
    versionId,
    '/back',
  )
  expect(await completeSigning(partnerUrl)).toContain('event=signing_complete')
  const ggmlUrl = await openSigningSession(
    await scopeFor(c.ggmlAdmin.id, c.partner.id, 'contracts.sign'),
    versionId,
    '/back',
  )
  await completeSigning(ggmlUrl)
  await settle()
}

describe('a contract from draft to signed, through DocuSign', () => {
  it('needs finance for terms outside the price book, and not from the person who drafted them', async () => {
    const cast = await contractCast()
    const scope = await scopeFor(cast.manager.id, cast.partner.id, 'contracts.draft')
    const { version } = await draftContract(scope, {
      title: 'Discounted license',
      kind: 'production_license',
      terms: termsStartingToday({ revenueShare: { percent: '3.00' } }),
    })
    expect(await submitForApproval(scope, version.id)).toEqual({
      needsFinance: true,
      exceptions: ['A revenue share of 3.00% is under the standard minimum of 5.00%.'],
    })
    expect((await db().contract.findFirstOrThrow({ where: { organizationId: cast.partner.id } })).status).toBe(
      'pending_approval',
    )
    const ggmlAdminAsApprover = await scopeFor(cast.manager.id, cast.partner.id, 'contracts.draft')
    await expect(approveContractVersion(ggmlAdminAsApprover, version.id)).rejects.toMatchObject({ code: 'forbidden' })
    await approveContractVersion(await scopeFor(cast.finance.id, cast.partner.id, 'contracts.approve'), version.id)
    expect((await db().contractVersion.findUniqueOrThrow({ where: { id: version.id } })).state).toBe('approved')
  })

  it('approves standard terms by the price book alone', async () => {
    const c = await draftedAndApproved(termsStartingToday())
    const v = await db().contractVersion.findUniqueOrThrow({ where: { id: c.version.id } })
    expect(v.state).toBe('approved')
    expect(v.approvalNote).toMatch(/standard price book/)
  })

  it('is sent, signed by the partner then ggml, and becomes active with its PDFs and their hashes', async () => {
    const c = await draftedAndApproved()
    const { envelopeId, agreementSha256 } = await sendForSignature(c.managerScope, c.version.id, {
      partnerSignerUserId: c.partnerAdmin.id,
      ggmlSignerUserId: c.ggmlAdmin.id,
    })
    expect(docusign.envelopes.get(envelopeId)?.signers.map((s) => [s.email, s.routingOrder])).toEqual([
      [c.partnerAdmin.email, 1],
      [c.ggmlAdmin.email, 2],
    ])

    // ggml cannot sign before the partner.
    await expect(
      openSigningSession(await scopeFor(c.ggmlAdmin.id, c.partner.id, 'contracts.sign'), c.version.id, '/back'),
    ).rejects.toThrow('It is not your turn to sign yet')
    await signBoth(c, c.version.id)

    const version = await db().contractVersion.findUniqueOrThrow({
      where: { id: c.version.id },
      include: { documents: true, envelopes: true },
    })
    expect(version.state).toBe('signed')
    expect(version.envelopes[0]!.status).toBe('completed')
    expect(version.documents.map((d) => d.kind).sort()).toEqual(['agreement', 'certificate', 'signed_agreement'])
    for (const d of version.documents) expect(d.sha256).toBe(createHash('sha256').update(d.bytes).digest('hex'))
    expect(version.documents.find((d) => d.kind === 'agreement')!.sha256).toBe(agreementSha256)
    expect(
      Buffer.from(version.documents.find((d) => d.kind === 'signed_agreement')!.bytes)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-')
    expect((await db().contract.findUniqueOrThrow({ where: { id: c.contract.id } })).status).toBe('active')
    const events = await db().contractEvent.findMany({
      where: { contractId: c.contract.id },
      orderBy: { createdAt: 'asc' },
    })
    // Progress events appear only if their sync ran before the envelope completed: the truth is re-read.
    expect(events.map((e) => e.type).filter((t) => t !== 'envelope_delivered' && t !== 'signer_signed')).toEqual([
      'drafted',
      'submitted_for_approval',
      'approved',
      'sent_for_signature',
      'signed',
    ])
    expect(await db().auditEvent.count({ where: { action: 'contract.signed', targetId: c.version.id } })).toBe(1)

    // A signed version never changes, even by a direct write.
    await expect(db().contractVersion.update({ where: { id: c.version.id }, data: { terms: {} } })).rejects.toThrow(
      /signed and cannot change/,
    )
  })

  it('returns to draft with the reason kept when the partner declines', async () => {
    const c = await draftedAndApproved()
    await sendForSignature(c.managerScope, c.version.id, {
      partnerSignerUserId: c.partnerAdmin.id,
      ggmlSignerUserId: c.ggmlAdmin.id,
    })
    const url = await openSigningSession(
      await scopeFor(c.partnerAdmin.id, c.partner.id, 'contracts.sign'),
      c.version.id,
      '/back',
    )
    await completeSigning(url, 'decline', 'The Premium band rate is not what we agreed.')
    await settle()
    const version = await db().contractVersion.findUniqueOrThrow({
      where: { id: c.version.id },
      include: { envelopes: true },
    })
    expect(version.state).toBe('draft')
    expect(version.envelopes[0]).toMatchObject({
      status: 'declined',
      declineReason: expect.stringContaining('The Premium band rate is not what we agreed.'),
    })
    expect((await db().contract.findUniqueOrThrow({ where: { id: c.contract.id } })).status).toBe('draft')
    const declined = await db().contractEvent.findFirstOrThrow({
      where: { contractId: c.contract.id, type: 'declined' },
    })
    expect(declined.reason).toContain('The Premium band rate is not what we agreed.')
  })

  it('returns to draft with the reason kept when the envelope is voided', async () => {
    const c = await draftedAndApproved()
    const { envelopeId } = await sendForSignature(c.managerScope, c.version.id, {
      partnerSignerUserId: c.partnerAdmin.id,
      ggmlSignerUserId: c.ggmlAdmin.id,
    })
    await docusignClient().voidEnvelope(envelopeId, 'Wrong legal entity on the agreement')
    await settle()
    expect((await db().contractVersion.findUniqueOrThrow({ where: { id: c.version.id } })).state).toBe('draft')
    expect(
      (await db().contractEvent.findFirstOrThrow({ where: { contractId: c.contract.id, type: 'voided' } })).reason,
    ).toBe('Wrong legal entity on the agreement')
  })

  it('amends a signed contract with a new version, leaving the signed one as it was', async () => {
    const c = await draftedAndApproved()
    await sendForSignature(c.managerScope, c.version.id, {
      partnerSignerUserId: c.partnerAdmin.id,
      ggmlSignerUserId: c.ggmlAdmin.id,
    })
    await signBoth(c, c.version.id)
    const terms = c.version.terms as ReturnType<typeof termsStartingToday>
    const effectiveFrom = `${Number(terms.term.start.slice(0, 4)) + 1}-01-01`
    const v2 = await amendContract(c.managerScope, c.contract.id, {
      effectiveFrom,
      terms: { ...terms, revenueShare: { percent: '6.00' } },
    })
    expect(v2.version).toBe(2)
    await expect(amendContract(c.managerScope, c.contract.id, { effectiveFrom, terms })).rejects.toThrow(
      'An amendment is already in progress',
    )
    const original = await db().contractVersion.findUniqueOrThrow({ where: { id: c.version.id } })
    expect(original.termsSha256).toBe(c.version.termsSha256)
    expect((await db().contract.findUniqueOrThrow({ where: { id: c.contract.id } })).status).toBe('active')
  })
})

describe('DocuSign Connect webhooks', () => {
  const post = (body: string, signature: string) =>
    fetch(`${server.url}/webhooks/docusign`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-DocuSign-Signature-1': signature },
      body,
    })

  it('refuses a forged delivery and records nothing', async () => {
    const body = JSON.stringify({ event: 'envelope-completed', data: { envelopeId: 'forged' } })
    expect((await post(body, connectSignature('not-our-key', body))).status).toBe(401)
    expect((await fetch(`${server.url}/webhooks/docusign`, { method: 'POST', body })).status).toBe(401)
    expect(await db().docuSignWebhookDelivery.count({ where: { envelopeId: 'forged' } })).toBe(0)
  })

  it('changes nothing twice for a replayed or out-of-order delivery', async () => {
    const c = await draftedAndApproved()
    const { envelopeId } = await sendForSignature(c.managerScope, c.version.id, {
      partnerSignerUserId: c.partnerAdmin.id,
      ggmlSignerUserId: c.ggmlAdmin.id,
    })
    await signBoth(c, c.version.id)
    const key = docusignConfig().hmacKeys[0]!
    const eventsBefore = await db().contractEvent.count({ where: { contractId: c.contract.id } })
    const auditBefore = await db().auditEvent.count()

    const completed = JSON.stringify({
      event: 'envelope-completed',
      data: { envelopeId },
      generatedDateTime: 'replayed',
    })
    expect(await (await post(completed, connectSignature(key, completed))).json()).toEqual({ message: 'Accepted.' })
    expect(await (await post(completed, connectSignature(key, completed))).json()).toEqual({
      message: 'Already received.',
    })
    const late = JSON.stringify({ event: 'envelope-sent', data: { envelopeId }, generatedDateTime: 'late' })
    expect((await post(late, connectSignature(key, late))).status).toBe(200)
    await drainJobs()

    expect(await db().contractEvent.count({ where: { contractId: c.contract.id } })).toBe(eventsBefore)
    expect(await db().auditEvent.count()).toBe(auditBefore)
    expect((await db().contractVersion.findUniqueOrThrow({ where: { id: c.version.id } })).state).toBe('signed')
    expect(await db().contractDocument.count({ where: { contractVersionId: c.version.id } })).toBe(3)
  })
})

describe('a paid pilot', () => {
  it('is invoiced its pilot fee once, when it is signed', async () => {
    const cast = await contractCast()
    const manager = await scopeFor(cast.manager.id, cast.partner.id, 'contracts.draft')
    const base = termsStartingToday()
    const terms = {
      ...base,
      perDeviceRoyalty: undefined,
      baseFee: undefined,
      minimumGuarantee: undefined,
      pilotFee: { amount: '80000.00' },
    }
    const { version } = await draftContract(manager, { title: 'Pilot', kind: 'paid_pilot', terms })
    await submitForApproval(manager, version.id)
    const { envelopeId } = await sendForSignature(manager, version.id, {
      partnerSignerUserId: cast.partnerAdmin.id,
      ggmlSignerUserId: cast.ggmlAdmin.id,
    })
    await signBoth({ ...cast, contract: { id: '' }, version, managerScope: manager } as never, version.id)
    await syncEnvelope(envelopeId) // again: nothing twice
    await drainJobs() // the pilot fee is posted…
    expect(await db().journalEntry.count({ where: { organizationId: cast.partner.id } })).toBe(1)
    // …and a retried job posts nothing more (the key is the contract's).
    await jobHandlers['royalties.invoice-pilot-fee'](
      { contractVersionId: version.id, signedOn: todayUtc() },
      { jobId: 'retried', attempt: 2 },
    )
    await drainJobs() // …and its invoice issued
    const entries = await db().journalEntry.findMany({
      where: { organizationId: cast.partner.id },
      include: { lines: true },
    })
    expect(
      entries.map((e) => [
        e.description.startsWith('Pilot fee'),
        e.lines.find((l) => l.debitMinor > 0n)?.debitMinor,
        e.effectiveDate.toISOString().slice(0, 10),
      ]),
    ).toEqual([[true, 8_000_000n, todayUtc()]])
    expect(await db().invoice.count({ where: { journalEntryId: entries[0]!.id } })).toBe(1)
  })
})

describe('a prepaid advance', () => {
  it('is invoiced when the contract is signed, not with the first report, and once (issue 30)', async () => {
    const cast = await contractCast()
    const manager = await scopeFor(cast.manager.id, cast.partner.id, 'contracts.draft')
    const terms = { ...termsStartingToday(), minimumGuarantee: undefined, prepaidAdvance: { amount: '50000.00' } }
    const { version } = await draftContract(manager, { title: 'Advance', kind: 'production_license', terms })
    await submitForApproval(manager, version.id)
    const fresh = await db().contractVersion.findUniqueOrThrow({ where: { id: version.id } })
    if (fresh.state !== 'approved')
      await approveContractVersion(await scopeFor(cast.finance.id, cast.partner.id, 'contracts.approve'), version.id)
    const { envelopeId } = await sendForSignature(manager, version.id, {
      partnerSignerUserId: cast.partnerAdmin.id,
      ggmlSignerUserId: cast.ggmlAdmin.id,
    })
    await signBoth({ ...cast, contract: { id: '' }, version, managerScope: manager } as never, version.id)
    await syncEnvelope(envelopeId) // again: nothing twice
    await drainJobs() // the advance is posted…
    await drainJobs() // …and its invoice issued
    const advances = await db().journalEntry.findMany({
      where: { organizationId: cast.partner.id, kind: 'advance_invoiced' },
      include: { lines: true },
    })
    expect(advances.map((e) => e.lines.find((l) => l.debitMinor > 0n)?.debitMinor)).toEqual([5_000_000n])
    expect(await db().invoice.count({ where: { journalEntryId: advances[0]!.id } })).toBe(1)
  })
})
