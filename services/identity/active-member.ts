/**
 * A membership that counts: not deactivated by the organization's SCIM, on an account that is on.
 * Every query for people to mail, ask to sign or notify spreads it into its `where` (decision 018).
 */
export const activeMember = { deactivatedAt: null, user: { disabledAt: null } } as const
