import { useEffect, useRef, useState } from 'react'
import { useFetcher } from 'react-router'
import type { ContractTerms, TermIssue } from '#services/rating/contract-terms.ts'
import { useRootData } from '../root.tsx'
import { CheckPanel } from './terms-editor/check-panel.tsx'
import { useIssues, useTerms, type PreviewResult } from './terms-editor/editor-state.tsx'
import { GeneralFields } from './terms-editor/general-fields.tsx'
import { PricingFields } from './terms-editor/pricing-fields.tsx'
import { SampleQuarter, type Sample } from './terms-editor/sample-quarter.tsx'

type Kind = 'mou' | 'paid_pilot' | 'production_license'

/** Problems not about one field are listed under the form. */
const unplaced = (p: string) => p === '' || p === 'baseFee' || p === 'revenueShare' || p === 'prepaidAdvance'

/**
 * Edits a contract's terms as structured data. Every change is checked by the server (the same
 * validation that guards saving) and priced for a sample quarter, so the drafter sees problems and
 * money as they type. The terms travel to the action as JSON in a hidden field. Its parts live in
 * terms-editor/.
 */
export function TermsEditor({
  kind,
  initial,
  serverIssues,
  saveFailed,
}: {
  kind: Kind
  initial: ContractTerms
  serverIssues?: TermIssue[]
  /** The last save was refused: the side panel then never says the terms are fine on their own. */
  saveFailed?: boolean
}) {
  const { terms, set } = useTerms(initial)
  const [sample, setSample] = useState<Sample>({ units: {}, revenue: '' })
  const fetcher = useFetcher<PreviewResult>()
  const root = useRootData()
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  useEffect(() => {
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      void fetcher.submit(
        { csrf: root?.csrf ?? '', kind, terms: JSON.stringify(terms), sample: JSON.stringify(sample) },
        { method: 'post', action: '/contracts/preview' },
      )
    }, 250)
    return () => clearTimeout(timer.current)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [terms, sample, kind])

  const issues = fetcher.data?.issues ?? serverIssues
  const { issueAt, err, mark } = useIssues(issues)
  const parts = { terms, set, err, mark }

  return (
    <div className="editor">
      <input type="hidden" name="terms" value={JSON.stringify(terms)} />
      <div className="editor-main">
        <GeneralFields {...parts} />
        {kind !== 'mou' && <PricingFields kind={kind} {...parts} />}
        {[...issueAt.keys()].filter(unplaced).map((p) => (
          <div key={p}>{err(p)}</div>
        ))}
      </div>

      <aside className="editor-side" aria-live="polite">
        <CheckPanel issues={issues} exceptions={fetcher.data?.exceptions} saveFailed={saveFailed} />
        {kind !== 'mou' && (
          <SampleQuarter terms={terms} sample={sample} setSample={setSample} preview={fetcher.data?.preview} />
        )}
      </aside>
    </div>
  )
}
