import { useMemo, useState, type ReactNode } from 'react'
import type { ContractTerms, TermIssue } from '#services/rating/contract-terms.ts'
import { fieldId } from '../form.tsx'

/** What /contracts/preview answers for a draft: its problems, its exceptions and a priced sample quarter. */
export interface PreviewResult {
  issues: TermIssue[]
  exceptions: string[]
  preview: { lines: { label: string; amount: string; trace: string[] }[]; total: string; notes: string[] } | null
}

export type SetTerm = <K extends keyof ContractTerms>(key: K, value: ContractTerms[K] | undefined) => void

/** The attributes that mark an input with a problem: its field id, aria-invalid and the message's id. */
export type FieldMark = { id: string; 'aria-invalid': true; 'aria-describedby': string } | Record<string, never>

/**
 * What each part of the terms editor is handed: the terms, a setter for one term, the problems at a
 * path, and the marks to spread on the input for that path.
 */
export interface TermsParts {
  terms: ContractTerms
  set: SetTerm
  err: (path: string) => ReactNode
  mark: (path: string) => FieldMark
}

/** The terms being drafted; setting a term to undefined removes it (an optional component turned off). */
export function useTerms(initial: ContractTerms) {
  const [terms, setTerms] = useState<ContractTerms>(initial)
  const set: SetTerm = (key, value) =>
    setTerms((t) => {
      const next = { ...t }
      if (value === undefined) delete next[key]
      else next[key] = value
      return next
    })
  return { terms, set }
}

/**
 * The server's problems by the path of the term they are about, how one path's are shown, and how its
 * input is marked like every other field (issue 29), under the id the form's error summary links to:
 * the terms travel as one JSON field, so their paths are `terms.<path>`.
 */
export function useIssues(issues: TermIssue[] | undefined) {
  const issueAt = useMemo(() => {
    const m = new Map<string, string[]>()
    for (const i of issues ?? []) m.set(i.path, [...(m.get(i.path) ?? []), i.message])
    return m
  }, [issues])
  const err = (path: string) => {
    const msgs = issueAt.get(path)
    return msgs ? (
      <p className="field-error" id={`${fieldId(`terms.${path}`)}-error`}>
        {msgs.join(' ')}
      </p>
    ) : null
  }
  const mark = (path: string): FieldMark =>
    issueAt.has(path)
      ? {
          id: fieldId(`terms.${path}`),
          'aria-invalid': true,
          'aria-describedby': `${fieldId(`terms.${path}`)}-error`,
        }
      : {}
  return { issueAt, err, mark }
}

/** "EU, UK" → ["EU", "UK"]. */
export const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
