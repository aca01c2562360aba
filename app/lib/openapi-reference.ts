// The API reference page's view of the OpenAPI document (app/lib/openapi.server.ts): plain rows the
// page renders, so the page shows exactly what the served document says.

type Schema = {
  $ref?: string
  type?: string | string[]
  items?: Schema
  enum?: unknown[]
  const?: unknown
  anyOf?: Schema[]
  oneOf?: Schema[]
  properties?: Record<string, Schema>
  additionalProperties?: Schema | boolean
  required?: string[]
  description?: string
  pattern?: string
  format?: string
  minimum?: number
  maximum?: number
  maxLength?: number
  default?: unknown
}
interface Operation {
  tags?: string[]
  summary?: string
  description?: string
  security?: Record<string, string[]>[]
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[]
  requestBody?: { content: Record<string, { schema?: Schema; example?: unknown }> }
  responses: Record<string, { description: string; content?: Record<string, { schema?: Schema; example?: unknown }> }>
}
interface Document {
  info: { title: string; description: string; version: string }
  servers: { url: string }[]
  paths: Record<string, Record<string, Operation | unknown[]>>
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, { description?: string }> }
}

/** A schema as one short line: `Invoice[]`, `string | null`, `"open" | "paid"`. */
export function typeLabel(s: Schema | undefined): string {
  if (!s) return 'any'
  if (s.$ref) return s.$ref.split('/').at(-1)!
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ')
  if (s.const !== undefined) return JSON.stringify(s.const)
  const alternatives = s.anyOf ?? s.oneOf
  if (alternatives) return alternatives.map(typeLabel).join(' | ')
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : []
  return (
    types
      .map((t) =>
        t === 'array'
          ? `${typeLabel(s.items)}[]`
          : t === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object'
            ? `map of ${typeLabel(s.additionalProperties)}`
            : t,
      )
      .join(' | ') || 'any'
  )
}

/** Limits worth a reader's eye: a pattern, a range, a default. */
function constraints(s: Schema | undefined): string {
  if (!s) return ''
  const c = [
    s.format && `format ${s.format}`,
    s.pattern && `pattern ${s.pattern}`,
    s.minimum !== undefined && `≥ ${s.minimum}`,
    s.maximum !== undefined && `≤ ${s.maximum}`,
    s.maxLength !== undefined && `at most ${s.maxLength} characters`,
    s.default !== undefined && `default ${JSON.stringify(s.default)}`,
  ].filter(Boolean)
  return c.join(', ')
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete']

export function referenceOf(doc: Document) {
  const operations = Object.entries(doc.paths).flatMap(([path, item]) => {
    const shared = (item.parameters as Operation['parameters']) ?? []
    return METHODS.filter((m) => item[m]).map((method) => {
      const op = item[method] as Operation
      return {
        id: `${method}-${path}`.replace(/[^a-z0-9]+/gi, '-'),
        method: method.toUpperCase(),
        path,
        tag: op.tags?.[0] ?? '',
        summary: op.summary ?? '',
        description: op.description ?? '',
        security: (op.security ?? []).flatMap((r) =>
          Object.entries(r).map(([name, scopes]) => (scopes.length ? `${name} (${scopes.join(', ')})` : name)),
        ),
        parameters: [...shared, ...(op.parameters ?? [])].map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required ?? false,
          type: typeLabel(p.schema),
          description: [p.description, constraints(p.schema)].filter(Boolean).join(' · '),
        })),
        body: Object.entries(op.requestBody?.content ?? {}).map(([type, c]) => ({
          type,
          schema: typeLabel(c.schema),
          example:
            c.example === undefined
              ? null
              : typeof c.example === 'string'
                ? c.example
                : JSON.stringify(c.example, null, 2),
        })),
        responses: Object.entries(op.responses).map(([status, r]) => ({
          status,
          description: r.description,
          schema: Object.values(r.content ?? {})
            .map((c) => typeLabel(c.schema))
            .join(', '),
        })),
      }
    })
  })
  const schemas = Object.entries(doc.components.schemas).map(([name, s]) => ({
    name,
    description: s.description ?? '',
    type: typeLabel(s),
    properties: Object.entries(s.properties ?? {}).map(([p, ps]) => ({
      name: p,
      type: typeLabel(ps),
      required: s.required?.includes(p) ?? false,
      description: [ps.description, constraints(ps)].filter(Boolean).join(' · '),
    })),
  }))
  const security = Object.entries(doc.components.securitySchemes).map(([name, s]) => ({
    name,
    description: s.description ?? '',
  }))
  return { info: doc.info, server: doc.servers[0]?.url ?? '', operations, schemas, security }
}
export type ApiReference = ReturnType<typeof referenceOf>
