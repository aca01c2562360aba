import { z } from 'zod'
export const apiScopes = [
  'reports:write',
  'reports:read',
  'invoices:read',
  'statements:read',
  'badges:read',
  'scim:provision',
] as const
export type ApiScope = (typeof apiScopes)[number]

/** ApiToken.scopes (a JSON column), parsed at read: issue-api-token wrote only these names. */
export const readApiScopes = (stored: unknown): ApiScope[] => z.array(z.enum(apiScopes)).parse(stored)

export const API_TOKEN_PREFIX = 'ggml_pat_'

/** What the API tokens page offers: SCIM tokens are made on the single sign-on page only (issue 25). */
export const reportScopes = [
  'reports:write',
  'reports:read',
  'invoices:read',
  'statements:read',
  'badges:read',
] as const satisfies readonly ApiScope[]

/** Role presets for the API tokens page: the least a typical integration needs. */
export const tokenPresets = [
  { id: 'erp', label: 'ERP report filing', scopes: ['reports:write', 'reports:read'] },
  { id: 'read', label: 'Read-only reporting', scopes: ['reports:read'] },
  {
    id: 'books',
    label: 'Accounting sync (read invoices, statements, reports)',
    scopes: ['reports:read', 'invoices:read', 'statements:read'],
  },
] as const satisfies readonly { id: string; label: string; scopes: readonly ApiScope[] }[]

/** Every token expires after one of these; a leaked token stops working on its own. */
export const tokenLifetimesDays = [30, 90, 180, 365] as const
export const DEFAULT_TOKEN_LIFETIME_DAYS = 90
