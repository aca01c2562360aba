import type { Db, Tx } from '../platform/db/client.ts'

/**
 * Who must sign in with a second factor: every ggml staff member (finance and admins move money and
 * permissions), and every member of an organization that requires it.
 */
export async function twoFactorRequired(client: Db | Tx, userId: string): Promise<boolean> {
  const n = await client.membership.count({
    where: { userId, OR: [{ organization: { kind: 'ggml' } }, { organization: { requireTwoFactor: true } }] },
  })
  return n > 0
}
