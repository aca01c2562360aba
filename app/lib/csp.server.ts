import { paymentPageOrigins } from '#services/billing/stripe-client.ts'
import { docusignConfig, isDocuSignConfigured } from '#services/platform/docusign/docusign-config.ts'

/** Third-party pages a form of ours may redirect to: DocuSign's signing pages, Stripe's payment pages. */
export function externalFormTargets(): string[] {
  return [...new Set([...signingOrigins(), ...paymentPageOrigins()])]
}

function signingOrigins(): string[] {
  try {
    return docusignConfig().signingOrigins
  } catch {
    // Neither configured nor local (a test process without the local server): nothing to sign there.
    return isDocuSignConfigured() ? ['https://*.docusign.net'] : []
  }
}
