import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalDocuSign } from '../../fakes/docusign/boot-local-docusign.ts'
import type { LocalDocuSign } from '../../fakes/docusign/local-docusign.ts'
import { db } from '../../services/platform/db/client.ts'
import { docusignClient } from '../../services/platform/docusign/docusign-client.ts'
import { addMilestone } from '../../services/engagements/add-milestone.ts'
import { createEngagement } from '../../services/engagements/create-engagement.ts'
import { openSowSigning } from '../../services/engagements/open-sow-signing.ts'
import { sendStatementOfWork } from '../../services/engagements/send-statement-of-work.ts'
import { setEngagementStatus } from '../../services/engagements/set-engagement-status.ts'
import { syncSowEnvelope } from '../../services/engagements/sync-sow-envelope.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { completeSigning, scopeFor } from '../support/contracts.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'

let docusign: LocalDocuSign
beforeAll(async () => {
  docusign = await bootLocalDocuSign({ connectUrl: 'http://127.0.0.1:1/unused' })
})
afterAll(() => docusign.close())

async function draft() {
  const ggml = await ggmlOrganization()
  const customer = await createOrganization('oem_partner', unique('SOW Devices'))
  const customerAdmin = await createUser(customer.id, 'partner_admin')
  const servicesLead = await createUser(ggml.id, 'services_lead')
  const ggmlAdmin = await createUser(ggml.id, 'ggml_admin')
  const { id } = await createEngagement(await actorForUser(servicesLead.id), {
    organizationId: customer.id,
    title: 'NPU kernels, fixed price',
    type: 'fixed_price',
    currency: 'USD',
    startsOn: '2027-03-01',
    endsOn: '2027-06-30',
    leadEmail: servicesLead.email,
    budgetHours: 300,
    budget: '90000',
    team: '',
  })
  const manage = await scopeFor(servicesLead.id, customer.id, 'services.manage')
  await addMilestone(manage, { engagementId: id, title: 'Profiling report', amount: '30000' })
  return { id, customer, customerAdmin, ggmlAdmin, manage }
}

describe('statements of work through DocuSign', () => {
  it('is sent, signed by the customer then ggml, and makes the engagement signed with its PDF', async () => {
    const c = await draft()
    await expect(
      sendStatementOfWork(c.manage, c.id, { customerSignerUserId: c.ggmlAdmin.id, ggmlSignerUserId: c.ggmlAdmin.id }),
    ).rejects.toMatchObject({ fieldErrors: { customerSignerUserId: [expect.stringMatching(/Choose an admin/)] } })
    const { envelopeId, sha256 } = await sendStatementOfWork(c.manage, c.id, {
      customerSignerUserId: c.customerAdmin.id,
      ggmlSignerUserId: c.ggmlAdmin.id,
    })
    expect(docusign.envelopes.get(envelopeId)?.signers.map((s) => [s.email, s.routingOrder])).toEqual([
      [c.customerAdmin.email, 1],
      [c.ggmlAdmin.email, 2],
    ])
    // Out for signature: nobody marks it signed by hand, and it is not sent twice.
    await expect(setEngagementStatus(c.manage, { engagementId: c.id, to: 'signed' })).rejects.toThrow(
      /out for signature/,
    )
    await expect(
      sendStatementOfWork(c.manage, c.id, {
        customerSignerUserId: c.customerAdmin.id,
        ggmlSignerUserId: c.ggmlAdmin.id,
      }),
    ).rejects.toThrow(/already out for signature/)
    const ggmlScope = await scopeFor(c.ggmlAdmin.id, c.customer.id, 'contracts.sign')
    await expect(openSowSigning(ggmlScope, c.id, '/back')).rejects.toThrow(/not your turn to sign yet/)
    await completeSigning(
      await openSowSigning(await scopeFor(c.customerAdmin.id, c.customer.id, 'contracts.sign'), c.id, '/back'),
    )
    expect(await syncSowEnvelope(envelopeId)).toBe('unchanged')
    await completeSigning(await openSowSigning(ggmlScope, c.id, '/back'))
    expect(await syncSowEnvelope(envelopeId)).toBe('signed')
    expect(await syncSowEnvelope(envelopeId)).toBe('unchanged')
    const e = await db().engagement.findUniqueOrThrow({ where: { id: c.id } })
    expect([e.status, e.sowSha256, Buffer.from(e.sowSignedPdf!).subarray(0, 5).toString()]).toEqual([
      'signed',
      sha256,
      '%PDF-',
    ])
    expect(await db().auditEvent.count({ where: { action: 'engagement.sow_signed', targetId: c.id } })).toBe(1)
  })

  it('declined by the customer, stays a draft with the reason and can be sent again', async () => {
    const c = await draft()
    const { envelopeId } = await sendStatementOfWork(c.manage, c.id, {
      customerSignerUserId: c.customerAdmin.id,
      ggmlSignerUserId: c.ggmlAdmin.id,
    })
    const url = await openSowSigning(await scopeFor(c.customerAdmin.id, c.customer.id, 'contracts.sign'), c.id, '/b')
    await completeSigning(url, 'decline', 'The acceptance window is too short')
    expect(await syncSowEnvelope(envelopeId)).toBe('returned')
    const e = await db().engagement.findUniqueOrThrow({ where: { id: c.id } })
    expect([e.status, e.sowEnvelopeId, e.statusReason]).toEqual([
      'draft',
      null,
      expect.stringContaining('declined: The acceptance window is too short'),
    ])
    const again = await sendStatementOfWork(c.manage, c.id, {
      customerSignerUserId: c.customerAdmin.id,
      ggmlSignerUserId: c.ggmlAdmin.id,
    })
    expect(again.envelopeId).not.toBe(envelopeId)
    await docusignClient().voidEnvelope(again.envelopeId, 'Wrong entity')
    expect(await syncSowEnvelope(again.envelopeId)).toBe('returned')
    expect((await db().engagement.findUniqueOrThrow({ where: { id: c.id } })).statusReason).toBe('Wrong entity')
  })
})
