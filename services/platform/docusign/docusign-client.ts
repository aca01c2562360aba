import { z } from 'zod'
import https from 'node:https'
import { createRequire } from 'node:module'
import tls from 'node:tls'
import { singleton } from '../singleton.ts'
import { docusignConfig, type DocuSignConfig } from './docusign-config.ts'
import { nowMs } from '../clock.ts'

// The official SDK (CommonJS, untyped): JWT grant for a token, then the eSignature REST API.
const require = createRequire(import.meta.url)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const docusign: any = require('docusign-esign')

export interface Signer {
  name: string
  email: string
  /** Our user id: makes the signer an embedded (in-app) signer. */
  clientUserId: string
  routingOrder: number
  anchor: string
}

export interface EnvelopeSummary {
  envelopeId: string
  status: 'created' | 'sent' | 'delivered' | 'completed' | 'declined' | 'voided'
  statusChangedDateTime?: string
  completedDateTime?: string
  voidedReason?: string
}

export interface RecipientState {
  recipientId: string
  name: string
  email: string
  status: string
  routingOrder?: string
  signedDateTime?: string
  declinedReason?: string
}

const SCOPES = ['signature', 'impersonation']

// What the SDK's failed request carries (an axios error): DocuSign's own error code in the response body.
const sdkError = z
  .looseObject({
    response: z.looseObject({ data: z.looseObject({ errorCode: z.string().optional() }).optional() }).optional(),
  })
  .catch({})

/** DocuSign's error code of a failed call (RECIPIENT_NOT_IN_SEQUENCE, …), undefined for any other failure. */
export const docusignErrorCode = (err: unknown): string | undefined => sdkError.parse(err).response?.data?.errorCode

export class DocuSignClient {
  private token?: { value: string; expiresAt: number }

  constructor(private readonly cfg: DocuSignConfig) {
    // The local DocuSign server's certificate is self-signed; trust it for the SDK's HTTP client only.
    if (cfg.caCert) {
      const axios = require(require.resolve('axios', { paths: [require.resolve('docusign-esign')] }))
      axios.defaults.httpsAgent = new https.Agent({ ca: [...tls.rootCertificates, cfg.caCert] })
    }
  }

  private async api() {
    const client = new docusign.ApiClient({ basePath: this.cfg.basePath })
    client.setOAuthBasePath(this.cfg.oAuthBasePath)
    if (!this.token || this.token.expiresAt < nowMs() + 300_000) {
      const res = await client.requestJWTUserToken(
        this.cfg.integrationKey,
        this.cfg.userId,
        SCOPES,
        Buffer.from(this.cfg.privateKey),
        3600,
      )
      this.token = { value: res.body.access_token, expiresAt: nowMs() + Number(res.body.expires_in) * 1000 }
    }
    client.addDefaultHeader('Authorization', `Bearer ${this.token.value}`)
    return new docusign.EnvelopesApi(client)
  }

  async createEnvelope(input: {
    emailSubject: string
    document: { name: string; bytes: Buffer }
    signers: Signer[]
  }): Promise<string> {
    const envelopeDefinition = {
      emailSubject: input.emailSubject,
      documents: [
        {
          documentId: '1',
          name: input.document.name,
          fileExtension: 'pdf',
          documentBase64: input.document.bytes.toString('base64'),
        },
      ],
      recipients: {
        signers: input.signers.map((s, i) => ({
          recipientId: String(i + 1),
          name: s.name,
          email: s.email,
          clientUserId: s.clientUserId,
          routingOrder: String(s.routingOrder),
          tabs: {
            signHereTabs: [{ anchorString: s.anchor, anchorUnits: 'pixels', anchorXOffset: '0', anchorYOffset: '0' }],
          },
        })),
      },
      status: 'sent',
    }
    const res = await (await this.api()).createEnvelope(this.cfg.accountId, { envelopeDefinition })
    return z.string().parse(res.envelopeId)
  }

  async getEnvelope(envelopeId: string): Promise<EnvelopeSummary> {
    return (await (await this.api()).getEnvelope(this.cfg.accountId, envelopeId, {})) as EnvelopeSummary
  }

  async listRecipients(envelopeId: string): Promise<RecipientState[]> {
    const res = await (await this.api()).listRecipients(this.cfg.accountId, envelopeId, {})
    return (res.signers ?? []) as RecipientState[]
  }

  /** 'combined' is every document with the signatures applied; 'certificate' is the certificate of completion. */
  async getDocument(envelopeId: string, documentId: 'combined' | 'certificate'): Promise<Buffer> {
    const data = await (await this.api()).getDocument(this.cfg.accountId, envelopeId, documentId, {})
    // The SDK hands a binary string unless it already made a Buffer.
    return Buffer.isBuffer(data) ? data : Buffer.from(data, 'binary')
  }

  async createRecipientView(
    envelopeId: string,
    signer: { name: string; email: string; clientUserId: string },
    returnUrl: string,
  ): Promise<string> {
    const recipientViewRequest = {
      returnUrl,
      authenticationMethod: 'none',
      email: signer.email,
      userName: signer.name,
      clientUserId: signer.clientUserId,
    }
    const res = await (await this.api()).createRecipientView(this.cfg.accountId, envelopeId, { recipientViewRequest })
    return z.string().parse(res.url)
  }

  async voidEnvelope(envelopeId: string, reason: string): Promise<void> {
    await (
      await this.api()
    ).update(this.cfg.accountId, envelopeId, { envelope: { status: 'voided', voidedReason: reason } })
  }
}

export function docusignClient(): DocuSignClient {
  const cfg = docusignConfig()
  return singleton(`docusign-client:${cfg.basePath}:${cfg.integrationKey}`, () => new DocuSignClient(cfg))
}
