import { randomBytes } from 'node:crypto'
import { db } from '../../services/platform/db/client.ts'
import type { OrganizationKind, Role } from '../../services/platform/db/generated/enums.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { hashPassword } from '../../services/identity/password.ts'
import { isStaffRole } from '../../services/identity/permissions.ts'
import { enrolTotp } from './second-factor.ts'

// Tests share a database per worker, so every fixture carries a random suffix.
export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`

export const TEST_PASSWORD = 'correct horse battery staple'
let cachedHash: Promise<string> | undefined
const passwordHash = () => (cachedHash ??= hashPassword(TEST_PASSWORD))

export async function createOrganization(kind: OrganizationKind = 'oem_partner', name = unique('Org')) {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-')
  return db().organization.create({ data: { id: newId(), slug, name, kind } })
}

/** The ggml organization of this worker's database (one per database, like production). */
export async function ggmlOrganization() {
  return (await db().organization.findFirst({ where: { kind: 'ggml' } })) ?? createOrganization('ggml', unique('ggml'))
}

/**
 * A user with a membership. Staff must sign in with a second factor, so staff fixtures come with an
 * enrolled authenticator (sign-in helpers type its codes: tests/support/second-factor.ts).
 */
export async function createUser(organizationId: string, role: Role, email = `${unique(role)}@example.test`) {
  const user = await db().user.create({
    data: { id: newId(), email, name: unique('Person'), passwordHash: await passwordHash() },
  })
  await db().membership.create({ data: { id: newId(), userId: user.id, organizationId, role } })
  const totpSecret = isStaffRole(role) ? await enrolTotp(user.id) : null
  return { ...user, password: TEST_PASSWORD, totpSecret }
}

/** The organization has verified this email domain, as if its TXT record had been found (decision 018). */
export async function verifiedDomain(organizationId: string, domain = `${unique('corp')}.example`) {
  await db().organizationDomain.create({
    data: { domain, organizationId, verifiedAt: new Date(), createdById: 'test-fixture' },
  })
  return domain
}
