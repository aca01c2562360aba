export const apiScopes = ['reports:write', 'reports:read', 'scim:provision'] as const
export type ApiScope = (typeof apiScopes)[number]

export const API_TOKEN_PREFIX = 'ggml_pat_'
