import { z } from 'zod'
import { useActionData } from 'react-router'
import { DataTable } from '#app/components/data-table.tsx'
import { RowAction } from '#app/components/row-actions.tsx'
import type { Route } from './+types/mappings'
import { Button, Card, Notice, PageHeader, PostForm, SelectField, Field } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import type { ContractTerms } from '#services/rating/contract-terms.ts'
import { listMappings } from '#services/royalties/report-mappings.ts'
import { deleteMapping } from '#services/royalties/delete-mapping.ts'
import { saveMapping } from '#services/royalties/save-mapping.ts'
import { mappingSchema } from '#services/royalties/save-mapping.ts'
import type { TenantScope } from '#services/tenancy/tenant-guard.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Report mappings · GGML Platform' }]

async function contractClasses(scope: TenantScope) {
  const versions = await scope.db.contractVersion.findMany({ where: { state: 'signed' } })
  return [...new Set(versions.flatMap((v) => (v.terms as ContractTerms).deviceClasses))]
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'royalties.view')
  return { mappings: await listMappings(scope), classes: await contractClasses(scope) }
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'royalties.view')
  const form = Object.fromEntries(await request.formData())
  return attempt(async () => {
    if (form.intent === 'delete') {
      const del = parseValues(form, z.object({ id: z.string().trim().min(1).max(64) }))
      if (!del.ok) return invalid(del.errors)
      await deleteMapping(scope, del.data.id)
      return { done: 'Mapping removed.' }
    }
    const parsed = parseValues(form, mappingSchema)
    if (!parsed.ok) return invalid(parsed.errors)
    await saveMapping(scope, parsed.data, await contractClasses(scope))
    return { done: `“${parsed.data.source}” now reads as “${parsed.data.target}” in your reports.` }
  })
}

export default function Mappings({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title="Report mappings"
        subtitle="Your own SKU and region names, mapped once to the device classes and regions of your contracts."
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <Card title="Mappings">
        <DataTable
          rows={d.mappings}
          empty="No mappings yet."
          columns={[
            { header: 'Kind', cell: (m) => (m.kind === 'sku' ? 'SKU → device class' : 'Region') },
            { header: 'Your name', cell: (m) => m.source },
            { header: 'Reads as', cell: (m) => m.target },
            {
              header: 'Actions',
              hideHeader: true,
              cell: (m) => (
                <RowAction
                  fields={{ intent: 'delete', id: m.id }}
                  ariaLabel={`Remove mapping ${m.source}`}
                  label="Remove"
                />
              ),
            },
          ]}
        />
      </Card>
      <Card title="Add a mapping">
        <PostForm errors={errors}>
          <SelectField
            label="Kind"
            name="kind"
            options={[
              { value: 'sku', label: 'SKU → device class' },
              { value: 'region', label: 'Region name' },
            ]}
            errors={errors}
          />
          <Field
            label="Your name"
            name="source"
            hint="A SKU like NW-PH5-128, or a region like “Deutschland”."
            errors={errors}
          />
          <Field
            label="Reads as"
            name="target"
            hint={`A device class (${d.classes.join(', ') || 'none signed yet'}), or the region to report.`}
            errors={errors}
          />
          <Button type="submit">Save mapping</Button>
        </PostForm>
      </Card>
    </>
  )
}
