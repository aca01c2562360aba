import { db } from '../../services/platform/db/client.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import type { ContractTerms } from '../../services/rating/contract-terms.ts'
import { actorFromSessionToken, createSession } from '../../services/identity/sessions.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import type { Permission } from '../../services/identity/permissions.ts'
import { createOrganization, createUser, ggmlOrganization } from './fixtures.ts'

export async function actorFor(userId: string) {
  const { token } = await createSession(db(), userId, {})
  return (await actorFromSessionToken(token))!
}

export async function scopeFor(userId: string, organizationId: string, permission: Permission) {
  return tenantScope(await actorFor(userId), { id: organizationId }, permission)
}

/** A partner with an admin (its signer), plus ggml's partner manager, finance and admin (ggml's signer). */
export async function contractCast() {
  const partner = await createOrganization('oem_partner')
  const ggml = await ggmlOrganization()
  const [partnerAdmin, manager, finance, ggmlAdmin] = await Promise.all([
    createUser(partner.id, 'partner_admin'),
    createUser(ggml.id, 'partner_manager'),
    createUser(ggml.id, 'finance'),
    createUser(ggml.id, 'ggml_admin'),
  ])
  return { partner, ggml, partnerAdmin, manager, finance, ggmlAdmin }
}

/** Hybrid terms whose term has already started (so a signed contract is active today). */
export function termsStartingToday(overrides: Partial<ContractTerms> = {}): ContractTerms {
  const today = new Date().toISOString().slice(0, 10)
  const end = `${Number(today.slice(0, 4)) + 2}-12-31`
  return hybridTerms({
    term: { start: today, end, renewal: { kind: 'automatic', periodMonths: 12, noticeDays: 90 } },
    ...overrides,
  })
}

/** Follows a DocuSign signing URL the way a browser would, and signs (or declines with a reason). */
export async function completeSigning(url: string, action: 'sign' | 'decline' = 'sign', reason = ''): Promise<string> {
  const page = await fetch(url)
  if (page.status !== 200) throw new Error(`signing page answered ${page.status}`)
  const res = await fetch(url, {
    method: 'POST',
    body: new URLSearchParams({ action, consent: 'on', reason }),
    redirect: 'manual',
  })
  if (res.status !== 303) throw new Error(`signing answered ${res.status}`)
  return res.headers.get('location')!
}
