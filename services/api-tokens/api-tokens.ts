export const apiScopes = ['reports:write', 'reports:read'] as const
export type ApiScope = (typeof apiScopes)[number]

export const API_TOKEN_PREFIX = 'ggml_pat_'
