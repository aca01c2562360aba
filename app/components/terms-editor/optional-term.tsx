import type { FieldMark, TermsParts } from './editor-state.tsx'
import type { ReactNode } from 'react'

/** A pricing component the contract may or may not have: a checkbox, and its fields while it is on. */
export function OptionalTerm({
  label,
  on,
  toggle,
  children,
}: {
  label: string
  on: boolean
  toggle: (on: boolean) => void
  children: ReactNode
}) {
  return (
    <div className="component">
      <label className="check">
        <input type="checkbox" checked={on} onChange={(e) => toggle(e.target.checked)} /> <strong>{label}</strong>
      </label>
      {on && <div className="component-body">{children}</div>}
    </div>
  )
}

/** A labelled input holding one value of the terms (an amount, a percent, a name, a date, a count). */
export function TermInput({
  label,
  value,
  onChange,
  type,
  min,
  mark,
}: {
  label: ReactNode
  value: string | number
  onChange: (value: string) => void
  type?: 'date' | 'number'
  min?: number
  /** The marks of a term with a problem (TermsParts['mark']): its field id and aria-invalid. */
  mark?: FieldMark
}) {
  return (
    <label>
      {label}
      <input type={type} min={min} {...mark} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  )
}

type AmountKey = 'pilotFee' | 'prepaidAdvance' | 'cap'

/** An optional component that is one amount: a pilot fee, a prepaid advance, a royalty cap. */
export function AmountTerm({
  term,
  label,
  amountLabel,
  initial,
  parts: { terms, set, err, mark },
  showTermErrors,
}: {
  term: AmountKey
  label: string
  amountLabel: string
  /** The amount a newly ticked component starts with. */
  initial: string
  parts: TermsParts
  /** Problems with the component as a whole are shown here too, not only those with its amount. */
  showTermErrors?: boolean
}) {
  return (
    <OptionalTerm label={label} on={!!terms[term]} toggle={(on) => set(term, on ? { amount: initial } : undefined)}>
      <TermInput
        label={amountLabel}
        mark={mark(`${term}.amount`)}
        value={terms[term]?.amount ?? ''}
        onChange={(amount) => set(term, { amount })}
      />
      {showTermErrors && err(term)}
      {err(`${term}.amount`)}
    </OptionalTerm>
  )
}
