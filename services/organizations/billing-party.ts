import type { Party } from '../platform/documents/issuer.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'

export interface BillingDetails {
  legalName: string
  billingAddress: string
  taxId: string
}

/** What the organization's billing details page shows: empty strings where nothing is kept yet. */
export async function billingDetails(scope: TenantScope): Promise<BillingDetails> {
  const o = await scope.db.organization.findUniqueOrThrow({
    where: { id: scope.organization.id },
    select: { legalName: true, billingAddress: true, taxId: true },
  })
  return { legalName: o.legalName ?? '', billingAddress: o.billingAddress ?? '', taxId: o.taxId ?? '' }
}

/**
 * The party an organization's documents bill to: its legal name (its name until it keeps one), postal
 * address and tax id, as its admins keep them (update-billing-details.ts). Read with the scope any of
 * its documents is opened with: the document's own permission decides who may see it.
 */
export async function billingParty(scope: TenantScope): Promise<Party> {
  const d = await billingDetails(scope)
  return {
    legalName: d.legalName || scope.organization.name,
    addressLines: d.billingAddress
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
    taxId: d.taxId || null,
  }
}
