import MarkdownIt from 'markdown-it'

// Authors write Markdown; raw HTML is escaped (html: false), and markdown-it refuses javascript:,
// vbscript:, file: and data: links other than images. Links open outside with rel="noopener".
const md = new MarkdownIt({ html: false, linkify: true, typographer: false })
const defaultLink =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options))
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'noopener noreferrer nofollow')
  return defaultLink(tokens, idx, options, env, self)
}

/** Lesson Markdown to HTML that is safe to insert into the page. */
export const renderLessonMarkdown = (markdown: string): string => md.render(markdown)
