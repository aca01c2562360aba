import type { Route } from './+types/edit'
import { ContractEditorPage } from '#app/components/contract-editor-page.tsx'
import { loadEditor, saveEditor } from '#app/lib/contract-editor.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Edit terms · GGML Platform' }]
export const loader = (args: Route.LoaderArgs) => loadEditor(args, false)
export const action = (args: Route.ActionArgs) => saveEditor(args, false)
export default function EditContract({ loaderData }: Route.ComponentProps) {
  return <ContractEditorPage d={loaderData} />
}
