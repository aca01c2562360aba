import { db } from '../services/platform/db/client.ts'
import type { OrganizationKind, Role } from '../services/platform/db/generated/enums.ts'
import { newId } from '../services/platform/db/ids.ts'
import { hashPassword } from '../services/identity/password.ts'
import { isStaffRole, roleLabel } from '../services/identity/permissions.ts'
import { DEMO_TOTP_SECRET } from '../services/identity/demo-second-factor.ts'
import { sealTotpSecret } from '../services/identity/totp-secret.ts'

// Fictional companies only. Idempotent: running it twice changes nothing.
export const DEMO_PASSWORD = 'ggml-demo-2026'

export const demoOrganizations: { slug: string; name: string; kind: OrganizationKind }[] = [
  { slug: 'ggml', name: 'ggml.ai', kind: 'ggml' },
  { slug: 'northwind-silicon', name: 'Northwind Silicon', kind: 'oem_partner' },
  { slug: 'kestrel-devices', name: 'Kestrel Devices', kind: 'oem_partner' },
  { slug: 'aurora-edge', name: 'Aurora Edge Systems', kind: 'oem_partner' },
  { slug: 'helix-mutual', name: 'Helix Mutual', kind: 'enterprise' },
  { slug: 'brightwater-robotics', name: 'Brightwater Robotics', kind: 'services_client' },
]

export const demoUsers: { email: string; name: string; org: string; role: Role }[] = [
  { email: 'admin@ggml.example', name: 'Ada Admin', org: 'ggml', role: 'ggml_admin' },
  // A second admin: a staff member's second factor is reset only with another admin's approval.
  { email: 'ops@ggml.example', name: 'Otto Operations', org: 'ggml', role: 'ggml_admin' },
  { email: 'finance@ggml.example', name: 'Fei Finance', org: 'ggml', role: 'finance' },
  // A second finance person: a seat pack sold under the price floor is approved by someone other than its seller.
  { email: 'controller@ggml.example', name: 'Cleo Controller', org: 'ggml', role: 'finance' },
  { email: 'partners@ggml.example', name: 'Pat Partnerships', org: 'ggml', role: 'partner_manager' },
  { email: 'services@ggml.example', name: 'Sam Services', org: 'ggml', role: 'services_lead' },
  { email: 'consultant@ggml.example', name: 'Connor Consultant', org: 'ggml', role: 'consultant' },
  { email: 'instructor@ggml.example', name: 'Ines Instructor', org: 'ggml', role: 'instructor' },
  // A second instructor: items go live only after someone other than their author reviews them.
  { email: 'reviewer@ggml.example', name: 'Rui Reviewer', org: 'ggml', role: 'instructor' },
  { email: 'certification@ggml.example', name: 'Cato Certification', org: 'ggml', role: 'certification_engineer' },
  { email: 'admin@northwind.example', name: 'Nora Northwind', org: 'northwind-silicon', role: 'partner_admin' },
  { email: 'finance@northwind.example', name: 'Finn Northwind', org: 'northwind-silicon', role: 'partner_finance' },
  { email: 'engineer@northwind.example', name: 'Eli Northwind', org: 'northwind-silicon', role: 'partner_engineer' },
  { email: 'admin@kestrel.example', name: 'Kai Kestrel', org: 'kestrel-devices', role: 'partner_admin' },
  { email: 'admin@aurora.example', name: 'Ari Aurora', org: 'aurora-edge', role: 'partner_admin' },
  { email: 'admin@helix.example', name: 'Hana Helix', org: 'helix-mutual', role: 'partner_admin' },
  { email: 'learner@helix.example', name: 'Lee Learner', org: 'helix-mutual', role: 'learner' },
]

/** Contributors hold their own account, made when they are granted credits (seeds/demo-credits.ts). */
export const demoContributor = { email: 'contributor@ggml.example', name: 'Cora Contributor' }

export async function seedDemoData(): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const orgIds = new Map<string, string>()
  for (const o of demoOrganizations) {
    const org = await db().organization.upsert({ where: { slug: o.slug }, create: { id: newId(), ...o }, update: {} })
    orgIds.set(o.slug, org.id)
  }
  // What Northwind's invoices and statements bill to, as its admin would keep it (issue 28); the others
  // show how a document reads without billing details.
  await db().organization.updateMany({
    where: { slug: 'northwind-silicon', legalName: null },
    data: {
      legalName: 'Northwind Silicon Inc.',
      billingAddress: '500 Harbor Boulevard\nSuite 1200\nSan Jose, CA 95113\nUnited States',
      taxId: 'US 12-3456789',
    },
  })
  await db().user.upsert({
    where: { email: demoContributor.email },
    create: { id: newId(), ...demoContributor, passwordHash },
    update: {},
  })
  for (const u of demoUsers) {
    // Staff sign in with a second factor; the demo enrols them with one known secret and shows its
    // current code on the sign-in page (DEMO=true only: services/identity/demo-second-factor.ts).
    const staff = isStaffRole(u.role)
    const user = await db().user.upsert({
      where: { email: u.email },
      create: {
        id: newId(),
        email: u.email,
        name: u.name,
        passwordHash,
        ...(staff && { totpSecret: sealTotpSecret(DEMO_TOTP_SECRET), totpEnabledAt: new Date(0) }),
      },
      update: {},
    })
    const organizationId = orgIds.get(u.org)!
    await db().membership.upsert({
      where: { userId_organizationId: { userId: user.id, organizationId } },
      create: { id: newId(), userId: user.id, organizationId, role: u.role },
      update: {},
    })
  }
}

export function printDemoSignIns(url: string): void {
  const rows = [
    ...demoUsers.map((u) => `  ${roleLabel(u.role).padEnd(24)} ${u.email}`),
    `  ${'contributor'.padEnd(24)} ${demoContributor.email}`,
  ]
  console.log(
    [
      ``,
      `GGML partner platform: ${url}`,
      `Demo sign-ins (password for all: ${DEMO_PASSWORD}; ggml staff then type the two-factor code the page shows):`,
      ...rows,
      `Training: ${url}/learn (sign up as a learner at ${url}/signup: the demo shows the confirmation link;`,
      `  pay on the local Stripe page; promotion code LAUNCH20 takes 20% off)`,
      ``,
    ].join('\n'),
  )
}
