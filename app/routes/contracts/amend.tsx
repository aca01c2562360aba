import type { Route } from './+types/amend'
import { ContractEditorPage } from '#app/components/contract-editor-page.tsx'
import { loadEditor, saveEditor } from '#app/lib/contract-editor.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Amend contract · GGML Platform' }]
export const loader = (args: Route.LoaderArgs) => loadEditor(args, true)
export const action = (args: Route.ActionArgs) => saveEditor(args, true)
export default function AmendContract({ loaderData }: Route.ComponentProps) {
  return <ContractEditorPage d={loaderData} />
}
