/** Field errors keyed "terms.<path>" back into the editor's issue list. */
export function issuesFrom(fieldErrors?: Record<string, string[]>) {
  return Object.entries(fieldErrors ?? {})
    .filter(([k]) => k.startsWith('terms.'))
    .flatMap(([k, msgs]) => msgs.map((message) => ({ path: k.slice(6), message })))
}
