import { approveContractVersion } from '../services/contracts/approve-contract.ts'
import { submitForApproval } from '#services/contracts/submit-for-approval.ts'
import { addMonths } from '#services/kernel/calendar/months.ts'
import { draftContract } from '../services/contracts/draft-contract.ts'
import { hybridTerms } from '../services/rating/sample-terms.ts'
import { sendForSignature } from '../services/contracts/send-for-signature.ts'
import { openSigningSession } from '#services/contracts/open-signing-session.ts'
import { syncEnvelope } from '../services/contracts/sync-envelope.ts'
import { db } from '../services/platform/db/client.ts'
import { actorForUser } from '../services/identity/sessions.ts'
import type { Permission } from '../services/identity/permissions.ts'
import { tenantScope } from '../services/tenancy/tenant-guard.ts'
import { receiveRoyaltyReport } from '../services/royalties/receive-royalty-report.ts'
import { prepareReport } from '#services/royalties/prepare-report.ts'
import { now } from '../services/platform/clock.ts'

/**
 * Demo contracts, made the way people make them (draft, approval, DocuSign): Northwind Silicon's
 * hybrid license is signed and active; Kestrel Devices' paid pilot waits for Kai Kestrel's
 * signature (sign it in the demo); Aurora Edge Systems has a draft MoU. Runs once per partner.
 */
export async function seedDemoContracts(): Promise<void> {
  const user = async (email: string) => (await db().user.findUniqueOrThrow({ where: { email } })).id
  const org = async (slug: string) => (await db().organization.findUniqueOrThrow({ where: { slug } })).id
  const scope = async (email: string, slug: string, p: Permission) =>
    tenantScope(await actorForUser(await user(email)), { id: await org(slug) }, p)
  const hasContracts = async (slug: string) =>
    (await db().contract.count({ where: { organizationId: await org(slug) } })) > 0

  const today = now().toISOString().slice(0, 10)
  const quarterMonth = Math.floor((Number(today.slice(5, 7)) - 1) / 3) * 3 + 1
  const quarterStart = `${today.slice(0, 4)}-${String(quarterMonth).padStart(2, '0')}-01`
  const dayBefore = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
  // Northwind's license began last quarter: a quarter is reported once it has ended (decision 010).
  const lastQuarterStart = addMonths(quarterStart, -3)
  const quarterOf = (d: string) => `${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`

  if (!(await hasContracts('northwind-silicon'))) {
    const manager = await scope('partners@ggml.example', 'northwind-silicon', 'contracts.draft')
    const terms = hybridTerms({
      term: {
        start: lastQuarterStart,
        end: dayBefore(addMonths(lastQuarterStart, 36)),
        renewal: { kind: 'automatic', periodMonths: 12, noticeDays: 90 },
      },
      prepaidAdvance: { amount: '100000.00' },
    })
    terms.perDeviceRoyalty!.bands[1]!.tiers[1]!.rate = '0.45' // a launch-partner rate under the floor: finance approves
    const { version } = await draftContract(manager, {
      title: 'Northwind Silicon GGML runtime license',
      kind: 'production_license',
      terms,
    })
    await submitForApproval(manager, version.id)
    await approveContractVersion(
      await scope('finance@ggml.example', 'northwind-silicon', 'contracts.approve'),
      version.id,
      'Launch partner: Mainstream tier 2 discount approved for the first term.',
    )
    const { envelopeId } = await sendForSignature(manager, version.id, {
      partnerSignerUserId: await user('admin@northwind.example'),
      ggmlSignerUserId: await user('admin@ggml.example'),
    })
    for (const [email, slug] of [
      ['admin@northwind.example', 'northwind-silicon'],
      ['admin@ggml.example', 'northwind-silicon'],
    ] as const) {
      await signInBrowserlessly(await openSigningSession(await scope(email, slug, 'contracts.sign'), version.id, '/'))
    }
    await syncEnvelope(envelopeId)
    // Northwind's first quarter, as its ERP would send it: invoiced through Stripe once the worker runs.
    const partner = await scope('finance@northwind.example', 'northwind-silicon', 'royalties.report')
    const prepared = await prepareReport(partner, version.contractId, quarterOf(lastQuarterStart))
    const models = [
      ['NW-Phone 5', 'smartphone', 'Entry', 'EU', 420_000],
      ['NW-Phone 5', 'smartphone', 'Entry', 'APAC', 380_000],
      ['NW-Book Air', 'laptop', 'Mainstream', 'US', 160_000],
      ['NW-Book Pro', 'laptop', 'Premium', 'US', 45_000],
      ['NW-Gate 2', 'edge gateway', 'Mainstream', 'EU', 52_000],
    ] as const
    const lines = models.map(([m, cls, band, region, units]) => ({
      device_model: m,
      device_class: cls,
      price_band: band,
      region,
      units,
    }))
    await receiveRoyaltyReport(
      partner,
      prepared,
      { lines },
      { source: 'api', idempotencyKey: 'demo-northwind-first-quarter' },
    )
  }

  if (!(await hasContracts('kestrel-devices'))) {
    const manager = await scope('partners@ggml.example', 'kestrel-devices', 'contracts.draft')
    const start = addMonths(quarterStart, 3)
    const { version } = await draftContract(manager, {
      title: 'Kestrel Devices paid pilot: GGML on Kestrel edge gateways',
      kind: 'paid_pilot',
      terms: {
        ...hybridTerms(),
        perDeviceRoyalty: undefined,
        baseFee: undefined,
        minimumGuarantee: undefined,
        deviceClasses: ['edge gateway'],
        pilotFee: { amount: '80000.00' },
        term: { start, end: dayBefore(addMonths(start, 6)), renewal: { kind: 'none' } },
      },
    })
    await submitForApproval(manager, version.id)
    await sendForSignature(manager, version.id, {
      partnerSignerUserId: await user('admin@kestrel.example'),
      ggmlSignerUserId: await user('admin@ggml.example'),
    })
  }

  if (!(await hasContracts('aurora-edge'))) {
    const manager = await scope('partners@ggml.example', 'aurora-edge', 'contracts.draft')
    await draftContract(manager, {
      title: 'Aurora Edge Systems memorandum of understanding',
      kind: 'mou',
      terms: {
        ...hybridTerms(),
        perDeviceRoyalty: undefined,
        baseFee: undefined,
        minimumGuarantee: undefined,
        tier: 'Tier 2',
        territory: ['EU', 'US'],
        term: { start: quarterStart, end: dayBefore(addMonths(quarterStart, 12)), renewal: { kind: 'none' } },
      },
    })
  }
}

/** Completes a signing ceremony on the local DocuSign server as the signer's browser would. */
async function signInBrowserlessly(url: string): Promise<void> {
  await fetch(url)
  const res = await fetch(url, {
    method: 'POST',
    body: new URLSearchParams({ action: 'sign', consent: 'on' }),
    redirect: 'manual',
  })
  if (res.status !== 303) throw new Error(`Local DocuSign refused the demo signature (${res.status})`)
}
