import { useActionData, useNavigation } from 'react-router'
import type { loadEditor, saveEditor } from '#app/lib/contract-editor.server.ts'
import { issuesFrom } from '#app/lib/terms-issues.ts'
import { TermsEditor } from './terms-editor.tsx'
import { Button, Input, PageHeader, PostForm } from './ui.tsx'

export function ContractEditorPage({ d }: { d: Awaited<ReturnType<typeof loadEditor>> }) {
  const result = useActionData<typeof saveEditor>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const busy = useNavigation().state === 'submitting'
  return (
    <>
      <PageHeader
        title={d.amend ? `Amend ${d.contract.number}` : `Edit ${d.contract.number} v${d.version.version}`}
        subtitle={d.contract.title}
      />
      <PostForm errors={errors}>
        {!d.amend && <input type="hidden" name="versionId" value={d.version.id} />}
        {(d.amend || d.version.version > 1) && (
          <div className="card">
            <label>
              Takes effect on
              <Input type="date" name="effectiveFrom" defaultValue={d.amend ? '' : d.version.effectiveFrom} required />
            </label>
            <p className="hint">Periods before this date keep the signed terms; periods after it use these.</p>
          </div>
        )}
        <TermsEditor
          kind={d.contract.kind}
          initial={d.version.terms}
          serverIssues={issuesFrom(errors?.fieldErrors)}
          saveFailed={Boolean(errors)}
        />
        <Button type="submit" disabled={busy}>
          {d.amend ? 'Save amendment as draft' : 'Save draft'}
        </Button>
      </PostForm>
    </>
  )
}
