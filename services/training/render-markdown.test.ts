import { describe, expect, it } from 'vitest'
import { renderLessonMarkdown } from './render-markdown.ts'

describe('lesson Markdown', () => {
  it('renders Markdown and code', () => {
    expect(renderLessonMarkdown('# Batch\n\nUse `-b 2048`.')).toBe('<h1>Batch</h1>\n<p>Use <code>-b 2048</code>.</p>\n')
  })

  it('never passes an author’s HTML or script through', () => {
    const html = renderLessonMarkdown(
      '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))',
    )
    expect(html).not.toMatch(/<script|<img|href="javascript/i)
    expect(html).toContain('&lt;script&gt;')
  })
})
