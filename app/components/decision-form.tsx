import type { ReactNode } from 'react'
import { HiddenFields, RowActions, type HiddenValues } from './row-actions.tsx'
import { Button, PostForm, type FormErrors } from './ui.tsx'
import { Input } from './form.tsx'

export interface DecisionChoice {
  /** The value posted in the decision field: approve, accept, reject, return, decline. */
  value: string
  label: ReactNode
  ariaLabel?: string
}

/**
 * The action's errors and the record's key on a page of many forms: each choice's form is keyed
 * `<value>-<formKey>`, so a refusal shows beside the button that was pressed.
 */
export interface DecisionErrors {
  errors?: FormErrors
  formKey?: string
}

const choiceKey = (value: string, formKey?: string) => (formKey ? `${value}-${formKey}` : undefined)

export interface ReturnChoice extends DecisionChoice {
  placeholder: string
  /** Names the reason box for screen readers: "Why Ada's week is returned". */
  reasonLabel: string
  required?: boolean
  maxLength?: number
}

/**
 * Approve, or send back with a reason: the same two forms wherever something waits for a decision
 * (the inbox, a week, an expense, a milestone, a change order). Both post the record's fields and
 * `decision` (or `field`) to the page's own action.
 */
export function DecisionForm({
  fields,
  field = 'decision',
  approve,
  blocked,
  giveBack,
  errors,
  formKey,
}: DecisionErrors & {
  fields: HiddenValues
  field?: string
  approve: DecisionChoice
  /** Why approving is not possible yet; shown instead of the approve button. */
  blocked?: ReactNode
  giveBack: ReturnChoice
}) {
  return (
    <RowActions>
      {blocked ? (
        <span className="hint">{blocked}</span>
      ) : (
        <PostForm errors={errors} formKey={choiceKey(approve.value, formKey)}>
          <HiddenFields values={{ ...fields, [field]: approve.value }} />
          <Button aria-label={approve.ariaLabel}>{approve.label}</Button>
        </PostForm>
      )}
      <PostForm className="row" errors={errors} formKey={choiceKey(giveBack.value, formKey)}>
        <HiddenFields values={{ ...fields, [field]: giveBack.value }} />
        {/* Marked like any field: a return without its reason is red here, in the row that was sent. */}
        <Input
          name="reason"
          placeholder={giveBack.placeholder}
          aria-label={giveBack.reasonLabel}
          maxLength={giveBack.maxLength}
          required={giveBack.required}
        />
        <Button variant="secondary" aria-label={giveBack.ariaLabel}>
          {giveBack.label}
        </Button>
      </PostForm>
    </RowActions>
  )
}

/**
 * A decision without a reason: one button per choice (Approve / Decline, Revoke / Keep), each posting
 * the record's fields and its own `decision` value.
 */
export function DecisionButtons({
  fields,
  field = 'decision',
  choices,
  className = 'actions-row',
  errors,
  formKey,
}: DecisionErrors & {
  fields: HiddenValues
  field?: string
  choices: { value: string; label: ReactNode; variant?: 'primary' | 'secondary' | 'danger' }[]
  className?: string
}) {
  return (
    <div className={className}>
      {choices.map((c, i) => (
        <PostForm key={c.value} errors={errors} formKey={choiceKey(c.value, formKey)}>
          <HiddenFields values={{ ...fields, [field]: c.value }} />
          <Button type="submit" variant={c.variant ?? (i === 0 ? 'primary' : 'secondary')}>
            {c.label}
          </Button>
        </PostForm>
      ))}
    </div>
  )
}

/**
 * A decision whose why is written down on the record, in a labelled box: return a version to draft,
 * decline or ask for a termination; or approve with an optional note (`name="note"`, not required).
 */
export function ReasonForm({
  fields,
  boxLabel,
  label,
  name = 'reason',
  required = true,
  variant = 'secondary',
  errors,
  formKey,
}: DecisionErrors & {
  fields: HiddenValues
  boxLabel: string
  label: ReactNode
  name?: 'reason' | 'note'
  required?: boolean
  variant?: 'primary' | 'secondary' | 'danger'
}) {
  return (
    <PostForm errors={errors} formKey={formKey}>
      <HiddenFields values={fields} />
      <label>
        {boxLabel}
        <Input name={name} required={required || undefined} />
      </label>
      <Button type="submit" variant={variant}>
        {label}
      </Button>
    </PostForm>
  )
}
