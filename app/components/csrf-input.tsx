import { useRootData } from '../root.tsx'

/** Every mutating form includes this; the root middleware refuses posts without it. */
export function CsrfInput() {
  const root = useRootData()
  return <input type="hidden" name="csrf" value={root?.csrf ?? ''} />
}
