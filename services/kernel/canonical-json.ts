// One rendering of a JSON value with sorted keys, for every hash the platform stores (the audit chain, contract
// terms): JSONB does not keep key order. A NaN renders as null, as JSONB stores it. The runner keeps its own copy
// (certification-lab/ imports nothing from services/), which refuses NaN: a signature covers only what it can say.
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  // Sorted as Object.keys(…).sort() sorts: by UTF-16 code units.
  return `{${Object.entries(value)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
    .join(',')}}`
}
