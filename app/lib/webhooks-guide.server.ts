import doc from '../../docs/webhooks.md?raw'

// What a partner's developer needs to receive webhooks, taken from docs/webhooks.md at build time, so
// the API reference page shows the same verification snippet (the one the webhooks test runs) and the
// same event table as the docs (issue 32).

/** A table cell's text split into plain and `code` parts, for rendering without a markdown parser. */
export type Inline = { code: boolean; text: string }[]
const inline = (cell: string): Inline =>
  cell
    .trim()
    .split('`')
    .map((text, i) => ({ code: i % 2 === 1, text }))
    .filter((p) => p.text !== '')

export function webhooksGuide(source: string = doc) {
  const snippet = /```js\n([\s\S]*?)```/.exec(source)?.[1] ?? ''
  const events = source
    .split('\n')
    .filter((line) => /^\| `[a-z_.]+` \|/.test(line))
    .map((line) => {
      const [type = '', when = '', data = ''] = line.split('|').slice(1, -1)
      return { type: type.trim().replaceAll('`', ''), when: inline(when), data: inline(data) }
    })
  return { snippet, events }
}
