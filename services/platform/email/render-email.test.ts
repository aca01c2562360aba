import { describe, expect, it } from 'vitest'
import { renderEmail } from './render-email.ts'

describe('the email layout (issue 28)', () => {
  const mail = renderEmail('Your invoice', ['Invoice INV-1 is open.', 'Pay <b>soon</b> & thanks.'], {
    label: 'Open the invoice',
    url: 'https://platform.example/portal/acme/invoices/1?a=1&b=2',
  })

  it("frames every message in ggml's brand: the mark, the palette and a footer with the legal entity", () => {
    // The mark: nine cells, the three lit ones in the accent.
    expect(mail.html.match(/background:#ff8a3d;border-radius:4px/g)).toHaveLength(3)
    expect(mail.html.match(/background:#5b8fd1/g)).toHaveLength(6)
    expect(mail.html).toContain('background:#0d1b2a')
    expect(mail.html).toContain('ggml.ai Ltd. · 1 Example Street, Sofia 1000, Bulgaria')
    expect(mail.html).toContain('mailto:billing@ggml.example')
  })

  it('escapes what it is given and keeps one call to action', () => {
    expect(mail.html).toContain('Pay &lt;b&gt;soon&lt;/b&gt; &amp; thanks.')
    expect(mail.html).not.toContain('<b>soon')
    expect(mail.html).toContain('href="https://platform.example/portal/acme/invoices/1?a=1&amp;b=2"')
    expect(mail.html.match(/>Open the invoice</g)).toHaveLength(1)
  })

  it('says the same in plain text, without the frame', () => {
    expect(mail.text).toBe(
      'Invoice INV-1 is open.\n\nPay <b>soon</b> & thanks.\n\n' +
        'Open the invoice: https://platform.example/portal/acme/invoices/1?a=1&b=2',
    )
  })
})
