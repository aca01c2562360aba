import type { ReactNode } from 'react'

export type CredentialTone = 'valid' | 'expired' | 'revoked'

/**
 * The Open Graph tags of a shared credential: title, words and a 1200×630 picture, so the link previews
 * as the credential it is (and says so when it no longer stands).
 */
export function openGraph(og: { title: string; description: string; url: string; image: string; alt: string }) {
  return [
    { title: og.title },
    { name: 'description', content: og.description },
    { property: 'og:type', content: 'website' },
    { property: 'og:site_name', content: 'ggml.ai' },
    { property: 'og:title', content: og.title },
    { property: 'og:description', content: og.description },
    { property: 'og:url', content: og.url },
    { property: 'og:image', content: og.image },
    { property: 'og:image:type', content: 'image/png' },
    { property: 'og:image:width', content: '1200' },
    { property: 'og:image:height', content: '630' },
    { property: 'og:image:alt', content: og.alt },
    { name: 'twitter:card', content: 'summary_large_image' },
  ]
}

/** The standing in words, coloured by tone; the first thing a verifier reads. */
export function Verdict({ tone, children, testId }: { tone: CredentialTone; children: ReactNode; testId: string }) {
  return (
    <p className={`verdict verdict-${tone}`} data-testid={testId}>
      <span className="verdict-icon" aria-hidden="true">
        {tone === 'valid' ? '✔' : tone === 'revoked' ? '✘' : '!'}
      </span>
      <span>{children}</span>
    </p>
  )
}

/** The certificate's seal: a serrated rim (its path drawn by the server, as on the PDF and preview) and words. */
export function Seal({ rim, standing }: { rim: string; standing: boolean }) {
  return (
    <svg className="certificate-seal" viewBox="0 0 100 100" width="120" height="120" aria-hidden="true">
      <path d={rim} fill={standing ? '#b7791f' : '#8c959f'} />
      <circle cx="50" cy="50" r="37.5" fill="none" stroke="#fff" strokeWidth="1.4" />
      <circle cx="50" cy="50" r="33.5" fill="none" stroke="#fff" strokeWidth="0.7" />
      <text x="50" y="47" textAnchor="middle" fontFamily="Georgia, serif" fontWeight="bold" fontSize="16" fill="#fff">
        ggml
      </text>
      <text x="50" y="63" textAnchor="middle" fontWeight="bold" fontSize="7" letterSpacing="1" fill="#fff">
        {standing ? 'CERTIFIED' : 'NOT IN FORCE'}
      </text>
    </svg>
  )
}
