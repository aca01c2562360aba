// The contract test's half (issue 32): every answer a test gets from the public API is checked against
// the served OpenAPI document. The validator covers the JSON Schema keywords the document uses and
// refuses any other, so a schema it cannot read fails loudly instead of passing everything.

type Schema = Record<string, unknown>
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>
}
export interface OpenApiDocument {
  openapi: string
  paths: Record<string, Record<string, Operation | unknown>>
  components: { schemas: Record<string, Schema> }
}

const ANNOTATIONS = new Set(['description', 'default', 'example', 'examples', 'title', 'deprecated'])
const KNOWN = new Set([
  ...ANNOTATIONS,
  '$ref',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'enum',
  'const',
  'anyOf',
  'oneOf',
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
])

const typeOf = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v
const FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
}

/** Where `value` breaks `schema`: one message per problem, `[]` when it conforms. */
export function schemaErrors(doc: OpenApiDocument, schema: Schema, value: unknown, at = '$'): string[] {
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) return [`${at}: the validator does not know keyword ${k}`]
  if (typeof schema.$ref === 'string') {
    const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1]
    const target = name ? doc.components.schemas[name] : undefined
    if (!target) return [`${at}: unresolved $ref ${schema.$ref}`]
    return schemaErrors(doc, target, value, at)
  }
  const errors: string[] = []
  const t = typeOf(value)
  if (schema.type !== undefined) {
    const types = (Array.isArray(schema.type) ? schema.type : [schema.type]) as string[]
    if (!types.some((x) => x === t || (x === 'number' && t === 'integer')))
      return [`${at}: expected ${types.join(' | ')}, got ${t}`]
  }
  if (schema.enum && !(schema.enum as unknown[]).some((e) => e === value))
    errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`)
  if ('const' in schema && schema.const !== value) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`)
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined
  if (alternatives) {
    const passing = alternatives.filter((s) => schemaErrors(doc, s, value, at).length === 0).length
    if (passing === 0 || (schema.oneOf && passing > 1))
      errors.push(`${at}: matches ${passing} of the ${schema.oneOf ? 'oneOf' : 'anyOf'} alternatives`)
  }
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`)
    const format = FORMATS[schema.format as string]
    if (format && !format.test(value)) errors.push(`${at}: ${JSON.stringify(value)} is not a ${String(schema.format)}`)
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) errors.push(`${at}: too short`)
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) errors.push(`${at}: too long`)
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`)
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`)
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum)
      errors.push(`${at}: not above ${schema.exclusiveMinimum}`)
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum)
      errors.push(`${at}: not below ${schema.exclusiveMaximum}`)
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${at}: too few items`)
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push(`${at}: too many items`)
    if (schema.items)
      value.forEach((v, i) => errors.push(...schemaErrors(doc, schema.items as Schema, v, `${at}[${i}]`)))
  }
  if (t === 'object') {
    const object = value as Record<string, unknown>
    const properties = (schema.properties ?? {}) as Record<string, Schema>
    for (const r of (schema.required ?? []) as string[]) if (!(r in object)) errors.push(`${at}: missing ${r}`)
    for (const [k, v] of Object.entries(object)) {
      if (properties[k]) errors.push(...schemaErrors(doc, properties[k], v, `${at}.${k}`))
      else if (schema.additionalProperties === false) errors.push(`${at}: undeclared property ${k}`)
      else if (typeof schema.additionalProperties === 'object')
        errors.push(...schemaErrors(doc, schema.additionalProperties as Schema, v, `${at}.${k}`))
      if (schema.propertyNames) errors.push(...schemaErrors(doc, schema.propertyNames as Schema, k, `${at} key ${k}`))
    }
  }
  return errors
}

/** The document's path template that a concrete path is an instance of. */
export function templateOf(doc: OpenApiDocument, path: string): string | null {
  for (const template of Object.keys(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`)
    if (pattern.test(path)) return template
  }
  return null
}

/**
 * Checks one answer against the document: the path, the method and the status must be documented, and
 * a JSON body must validate against the schema documented for that status. Returns the parsed body.
 */
export async function checkAnswer(doc: OpenApiDocument, method: string, url: string, res: Response): Promise<unknown> {
  const path = new URL(url, 'http://x').pathname
  const template = templateOf(doc, path)
  if (!template) throw new Error(`${method} ${path} is not in the OpenAPI document`)
  const operation = doc.paths[template]![method.toLowerCase()] as Operation | undefined
  if (!operation) throw new Error(`${method} ${template} is not in the OpenAPI document`)
  const documented = operation.responses[String(res.status)]
  if (!documented) throw new Error(`${method} ${template} answered ${res.status}, which the document does not list`)
  const text = await res.text()
  const type = res.headers.get('content-type') ?? ''
  const schema = documented.content?.['application/json']?.schema
  if (!type.includes('application/json')) {
    if (schema) throw new Error(`${method} ${template} ${res.status}: documented as JSON, answered ${type}`)
    return text
  }
  if (!schema) throw new Error(`${method} ${template} ${res.status}: answered JSON the document does not describe`)
  const body: unknown = JSON.parse(text)
  const errors = schemaErrors(doc, schema, body)
  if (errors.length)
    throw new Error(`${method} ${template} ${res.status} drifted from the document:\n${errors.slice(0, 10).join('\n')}`)
  return body
}

/** A fetch for tests of the public API: every answer is checked against the document before use. */
export function contractClient(baseUrl: string, doc: OpenApiDocument) {
  return async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${baseUrl}${path}`, init)
    const status = res.status
    // The body was just validated against the document: tests read it as the document describes.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status, body: (await checkAnswer(doc, init.method ?? 'GET', path, res)) as any }
  }
}
