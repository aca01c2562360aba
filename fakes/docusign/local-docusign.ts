import { createHash, createPublicKey, randomBytes, randomUUID, verify as verifySignature } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import express, { type Request, type Response } from 'express'
import PDFDocument from 'pdfkit'
import { PDFDocument as PdfLib, StandardFonts, rgb } from 'pdf-lib'
import { connectSignature } from '../../services/platform/docusign/verify-connect-signature.ts'

/**
 * A local stand-in for the subset of DocuSign's eSignature REST API the platform calls: JWT grant,
 * envelope create/get/update, recipients, documents (combined, certificate), embedded signing
 * views. It keeps its envelopes (in a JSON file when given a directory), lets a person sign or
 * decline in the browser, and sends Connect webhooks signed exactly as DocuSign signs them
 * (X-DocuSign-Signature-1: base64 HMAC-SHA256 of the body). The API listens on HTTPS (the SDK only
 * speaks HTTPS to OAuth), the signing pages on plain HTTP so a demo browser needs no certificate.
 */

export interface LocalDocuSignOptions {
  integrationKey: string
  userId: string
  accountId: string
  /** The integration key's RSA public key (PEM): JWT assertions must verify against it. */
  publicKeyPem: string
  tls: { key: string; cert: string }
  hmacKey: string
  /** Where Connect posts events (the platform's /webhooks/docusign). */
  connectUrl: string
  /** Keep envelopes in <dir>/envelopes.json across restarts. */
  dataDir?: string
  host?: string
  apiPort?: number
  uiPort?: number
}

type Status = 'created' | 'sent' | 'delivered' | 'completed' | 'declined' | 'voided'

interface SignerRecord {
  recipientId: string
  name: string
  email: string
  clientUserId?: string
  routingOrder: number
  status: 'created' | 'sent' | 'delivered' | 'completed' | 'declined'
  signedDateTime?: string
  declinedReason?: string
  ip?: string
}

interface EnvelopeRecord {
  envelopeId: string
  accountId: string
  emailSubject: string
  status: Status
  createdDateTime: string
  sentDateTime?: string
  statusChangedDateTime: string
  completedDateTime?: string
  declinedDateTime?: string
  voidedDateTime?: string
  voidedReason?: string
  documentBase64: string
  documentName: string
  signers: SignerRecord[]
}

interface SigningSession {
  envelopeId: string
  recipientId: string
  returnUrl: string
  expiresAt: number
}

export interface LocalDocuSign {
  apiBase: string
  uiBase: string
  envelopes: Map<string, EnvelopeRecord>
  /** Connect deliveries made, in order (for tests and the demo log). */
  deliveries: { event: string; envelopeId: string; status: number | 'error' }[]
  /** Resolves when every Connect delivery started so far has finished. */
  settled: () => Promise<void>
  close: () => Promise<void>
}

const now = () => new Date().toISOString()
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export async function startLocalDocuSign(opts: LocalDocuSignOptions): Promise<LocalDocuSign> {
  const host = opts.host ?? '127.0.0.1'
  const publicKey = createPublicKey(opts.publicKeyPem)
  const tokens = new Set<string>()
  const sessions = new Map<string, SigningSession>()
  const file = opts.dataDir ? path.join(opts.dataDir, 'envelopes.json') : undefined
  const envelopes = new Map<string, EnvelopeRecord>()
  if (file && existsSync(file))
    for (const e of JSON.parse(readFileSync(file, 'utf8')) as EnvelopeRecord[]) envelopes.set(e.envelopeId, e)
  const persist = () => {
    if (!file) return
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, JSON.stringify([...envelopes.values()]))
  }
  const deliveries: LocalDocuSign['deliveries'] = []
  const inFlight = new Set<Promise<void>>()
  let uiBase = ''

  const app = express()
  app.use(express.json({ limit: '50mb' }))
  app.use(express.urlencoded({ extended: false }))

  // --- OAuth: JWT grant -------------------------------------------------------------------------
  app.post('/oauth/token', (req, res) => {
    const { grant_type: grant, assertion } = req.body as Record<string, string>
    if (grant !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || !assertion)
      return res.status(400).json({ error: 'unsupported_grant_type' })
    const [h, p, s] = assertion.split('.')
    if (!h || !p || !s)
      return res.status(400).json({ error: 'invalid_grant', error_description: 'malformed assertion' })
    const header = JSON.parse(Buffer.from(h, 'base64url').toString())
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString())
    const valid =
      header.alg === 'RS256' &&
      verifySignature('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))
    if (!valid)
      return res.status(400).json({ error: 'invalid_grant', error_description: 'no_valid_keys_or_signatures' })
    if (claims.iss !== opts.integrationKey)
      return res.status(400).json({ error: 'invalid_grant', error_description: 'issuer_not_found' })
    if (claims.sub !== opts.userId)
      return res.status(400).json({ error: 'invalid_grant', error_description: 'user_not_found' })
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now())
      return res.status(400).json({ error: 'invalid_grant', error_description: 'expired' })
    const token = randomBytes(24).toString('base64url')
    tokens.add(token)
    res.json({ access_token: token, token_type: 'Bearer', expires_in: 3600 })
  })
  app.get('/oauth/userinfo', (req, res) => {
    if (!tokens.has((req.get('authorization') ?? '').replace(/^Bearer /, ''))) return res.status(401).end()
    res.json({
      sub: opts.userId,
      accounts: [
        { account_id: opts.accountId, is_default: true, account_name: 'Local DocuSign', base_uri: `https://${host}` },
      ],
    })
  })

  // --- eSignature REST API ------------------------------------------------------------------------
  const api = express.Router({ mergeParams: true })
  api.use((req, res, next) => {
    if (!tokens.has((req.get('authorization') ?? '').replace(/^Bearer /, '')))
      return res.status(401).json({
        errorCode: 'AUTHORIZATION_INVALID_TOKEN',
        message: 'The access token provided is expired, revoked or malformed.',
      })
    if (req.params.accountId !== opts.accountId)
      return res.status(400).json({ errorCode: 'ACCOUNT_INVALID', message: 'Invalid account specified for user.' })
    next()
  })
  const find = (req: Request, res: Response): EnvelopeRecord | undefined => {
    const e = envelopes.get(String(req.params.envelopeId))
    if (!e)
      res.status(404).json({
        errorCode: 'ENVELOPE_DOES_NOT_EXIST',
        message: 'The envelope specified either does not exist or you have no rights to it.',
      })
    return e
  }
  api.post('/envelopes', (req, res) => {
    const def = req.body as {
      emailSubject?: string
      status?: string
      documents?: { documentBase64: string; name: string }[]
      recipients?: {
        signers?: { recipientId: string; name: string; email: string; clientUserId?: string; routingOrder?: string }[]
      }
    }
    const doc = def.documents?.[0]
    const signers = def.recipients?.signers ?? []
    if (!doc?.documentBase64 || !signers.length)
      return res
        .status(400)
        .json({ errorCode: 'INVALID_REQUEST_BODY', message: 'An envelope needs a document and at least one signer.' })
    const e: EnvelopeRecord = {
      envelopeId: randomUUID(),
      accountId: opts.accountId,
      emailSubject: def.emailSubject ?? 'Please sign',
      status: 'created',
      createdDateTime: now(),
      statusChangedDateTime: now(),
      documentBase64: doc.documentBase64,
      documentName: doc.name,
      signers: signers.map((s) => ({
        recipientId: s.recipientId,
        name: s.name,
        email: s.email,
        clientUserId: s.clientUserId,
        routingOrder: Number(s.routingOrder ?? 1),
        status: 'created',
      })),
    }
    envelopes.set(e.envelopeId, e)
    if (def.status === 'sent') send(e)
    persist()
    res.status(201).json({
      envelopeId: e.envelopeId,
      status: e.status,
      statusDateTime: e.statusChangedDateTime,
      uri: `/envelopes/${e.envelopeId}`,
    })
  })
  api.get('/envelopes/:envelopeId', (req, res) => {
    const e = find(req, res)
    if (e) res.json(summary(e))
  })
  api.put('/envelopes/:envelopeId', (req, res) => {
    const e = find(req, res)
    if (!e) return
    const body = req.body as { status?: string; voidedReason?: string }
    if (body.status !== 'voided')
      return res.status(400).json({ errorCode: 'INVALID_REQUEST_PARAMETER', message: 'Only voiding is supported.' })
    if (['completed', 'declined', 'voided'].includes(e.status))
      return res
        .status(400)
        .json({ errorCode: 'ENVELOPE_CANNOT_VOID_INVALID_STATE', message: `Envelope is ${e.status}.` })
    e.status = 'voided'
    e.voidedReason = body.voidedReason ?? 'Voided'
    e.voidedDateTime = e.statusChangedDateTime = now()
    persist()
    connect('envelope-voided', e)
    res.json({ envelopeId: e.envelopeId })
  })
  api.get('/envelopes/:envelopeId/recipients', (req, res) => {
    const e = find(req, res)
    if (e)
      res.json({
        signers: e.signers.map((s) => ({
          recipientId: s.recipientId,
          name: s.name,
          email: s.email,
          status: s.status,
          routingOrder: String(s.routingOrder),
          signedDateTime: s.signedDateTime,
          declinedReason: s.declinedReason,
          clientUserId: s.clientUserId,
        })),
      })
  })
  api.get('/envelopes/:envelopeId/documents/:documentId', async (req, res) => {
    const e = find(req, res)
    if (!e) return
    const id = String(req.params.documentId)
    const bytes =
      id === 'certificate'
        ? await certificate(e)
        : id === 'combined'
          ? await combined(e)
          : id === '1'
            ? Buffer.from(e.documentBase64, 'base64')
            : undefined
    if (!bytes) return res.status(404).json({ errorCode: 'DOCUMENT_DOES_NOT_EXIST' })
    res.type('application/pdf').send(bytes)
  })
  api.post('/envelopes/:envelopeId/views/recipient', (req, res) => {
    const e = find(req, res)
    if (!e) return
    const body = req.body as { returnUrl?: string; clientUserId?: string; email?: string; userName?: string }
    const signer = e.signers.find(
      (s) => s.clientUserId === body.clientUserId && s.email === body.email && s.name === body.userName,
    )
    if (!signer || !body.returnUrl)
      return res.status(400).json({
        errorCode: 'UNKNOWN_ENVELOPE_RECIPIENT',
        message: 'The recipient you have identified is not a valid recipient of the specified envelope.',
      })
    if (!['sent', 'delivered'].includes(e.status) || !['sent', 'delivered'].includes(signer.status)) {
      return res.status(400).json({
        errorCode: 'RECIPIENT_NOT_IN_SEQUENCE',
        message: 'The token for an out of sequence recipient cannot be generated.',
      })
    }
    const token = randomBytes(24).toString('base64url')
    sessions.set(token, {
      envelopeId: e.envelopeId,
      recipientId: signer.recipientId,
      returnUrl: body.returnUrl,
      expiresAt: Date.now() + 5 * 60_000,
    })
    res.status(201).json({ url: `${uiBase}/signing/${token}` })
  })
  app.use('/restapi/v2.1/accounts/:accountId', api)

  // --- The signing ceremony, in the browser ---------------------------------------------------------
  const session = (req: Request, res: Response) => {
    const s = sessions.get(String(req.params.token))
    const e = s && envelopes.get(s.envelopeId)
    const signer = e?.signers.find((x) => x.recipientId === s?.recipientId)
    if (!s || !e || !signer || s.expiresAt < Date.now()) {
      res
        .status(410)
        .type('html')
        .send('<p>This signing link has expired. Return to the GGML platform and open the document again.</p>')
      return undefined
    }
    return { s, e, signer }
  }
  app.get('/signing/:token', (req, res) => {
    const found = session(req, res)
    if (!found) return
    const { e, signer } = found
    if (signer.status === 'sent') {
      signer.status = 'delivered'
      if (e.status === 'sent') {
        e.status = 'delivered'
        e.statusChangedDateTime = now()
        connect('envelope-delivered', e)
      }
      persist()
    }
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8">
        <title>Sign: ${escapeHtml(e.emailSubject)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:880px;margin:2rem auto;padding:0
  1rem;color:#1b1f24}header{background:#26215c;color:#fff;padding:1rem;border-radius:8px}
iframe{width:100%;height:520px;border:1px solid #ccc;border-radius:6px}button{font:inherit;padding:.6rem
  1.2rem;border-radius:6px;border:0;cursor:pointer}
.sign{background:#ffc820;font-weight:700}.decline{background:#eee}label{display:block;margin:.5rem 0
  .2rem}textarea{width:100%}</style></head><body>
<header><strong>Local DocuSign</strong> · ${escapeHtml(e.emailSubject)}</header>
<p>Signing as <strong>${escapeHtml(signer.name)}</strong> &lt;${escapeHtml(signer.email)}&gt;. Please review the
  document, then sign or decline.</p>
<iframe src="/signing/${escapeHtml(String(req.params.token))}/document" title="Document to sign"></iframe>
<form method="post"><input type="hidden" name="action" value="sign"><p><label>
  <input type="checkbox" name="consent" required> I agree to use electronic records and signatures.</label></p>
  <button class="sign" type="submit">Finish and sign</button></form>
<form method="post"><input type="hidden" name="action" value="decline">
  <label for="reason">Reason for declining</label><textarea id="reason" name="reason" rows="2" required></textarea>
  <p><button class="decline" type="submit">Decline to sign</button></p></form>
</body></html>`)
  })
  app.get('/signing/:token/document', (req, res) => {
    const found = session(req, res)
    if (found) res.type('application/pdf').send(Buffer.from(found.e.documentBase64, 'base64'))
  })
  app.post('/signing/:token', (req, res) => {
    const found = session(req, res)
    if (!found) return
    const { s, e, signer } = found
    sessions.delete(String(req.params.token))
    const action = (req.body as { action?: string }).action
    const back = new URL(s.returnUrl)
    if (action === 'decline') {
      signer.status = 'declined'
      signer.declinedReason = String((req.body as { reason?: string }).reason ?? '').slice(0, 500) || 'No reason given'
      e.status = 'declined'
      e.declinedDateTime = e.statusChangedDateTime = now()
      persist()
      connect('envelope-declined', e)
      back.searchParams.set('event', 'decline')
      return res.redirect(303, back.toString())
    }
    signer.status = 'completed'
    signer.signedDateTime = now()
    signer.ip = req.ip
    connect('recipient-completed', e)
    const pending = e.signers.filter((x) => x.status !== 'completed')
    if (pending.length === 0) {
      e.status = 'completed'
      e.completedDateTime = e.statusChangedDateTime = now()
      connect('envelope-completed', e)
    } else {
      const next = Math.min(...pending.map((x) => x.routingOrder))
      for (const x of pending) if (x.routingOrder === next && x.status === 'created') x.status = 'sent'
      e.statusChangedDateTime = now()
    }
    persist()
    back.searchParams.set('event', 'signing_complete')
    res.redirect(303, back.toString())
  })

  function send(e: EnvelopeRecord) {
    e.status = 'sent'
    e.sentDateTime = e.statusChangedDateTime = now()
    const first = Math.min(...e.signers.map((s) => s.routingOrder))
    for (const s of e.signers) if (s.routingOrder === first) s.status = 'sent'
    connect('envelope-sent', e)
  }

  function summary(e: EnvelopeRecord) {
    const { documentBase64: _d, signers: _s, ...rest } = e
    return rest
  }

  /** A Connect (JSON, SIM) delivery, HMAC-signed, retried a few times like DocuSign's queue. */
  function connect(event: string, e: EnvelopeRecord) {
    const body = JSON.stringify({
      event,
      apiVersion: 'v2.1',
      uri: `/restapi/v2.1/accounts/${e.accountId}/envelopes/${e.envelopeId}`,
      retryCount: 0,
      configurationId: 10_001,
      generatedDateTime: now(),
      data: {
        accountId: e.accountId,
        userId: opts.userId,
        envelopeId: e.envelopeId,
        envelopeSummary: { status: e.status, statusChangedDateTime: e.statusChangedDateTime },
      },
    })
    const headers = {
      'Content-Type': 'application/json',
      'X-DocuSign-Signature-1': connectSignature(opts.hmacKey, body),
    }
    const p = (async () => {
      for (let attempt = 0; attempt < 4; attempt++) {
        try {
          const res = await fetch(opts.connectUrl, { method: 'POST', headers, body })
          deliveries.push({ event, envelopeId: e.envelopeId, status: res.status })
          if (res.ok) return
        } catch {
          deliveries.push({ event, envelopeId: e.envelopeId, status: 'error' })
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt))
      }
    })()
    inFlight.add(p)
    void p.finally(() => inFlight.delete(p))
  }

  async function combined(e: EnvelopeRecord): Promise<Buffer> {
    const pdf = await PdfLib.load(Buffer.from(e.documentBase64, 'base64'))
    if (e.status === 'completed') {
      const font = await pdf.embedFont(StandardFonts.Helvetica)
      const page = pdf.addPage()
      let y = page.getHeight() - 72
      page.drawText('Signatures (Local DocuSign)', { x: 56, y, size: 14, font, color: rgb(0, 0, 0) })
      for (const s of e.signers) {
        y -= 28
        page.drawText(`${s.name} <${s.email}> signed ${s.signedDateTime} from ${s.ip ?? 'unknown'}`, {
          x: 56,
          y,
          size: 10,
          font,
        })
      }
      y -= 28
      page.drawText(`Envelope ${e.envelopeId}, completed ${e.completedDateTime}`, { x: 56, y, size: 9, font })
    }
    pdf.setCreationDate(new Date(e.createdDateTime))
    pdf.setModificationDate(new Date(e.completedDateTime ?? e.createdDateTime))
    return Buffer.from(await pdf.save())
  }

  async function certificate(e: EnvelopeRecord): Promise<Buffer> {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 56,
      info: {
        Title: `Certificate of Completion ${e.envelopeId}`,
        CreationDate: new Date(e.completedDateTime ?? e.createdDateTime),
      },
    })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    const done = new Promise<void>((r) => doc.on('end', () => r()))
    doc.fontSize(16).text('Certificate of Completion').moveDown()
    doc.fontSize(10).text(`Envelope: ${e.envelopeId}`).text(`Subject: ${e.emailSubject}`).text(`Status: ${e.status}`)
    doc.text(`Document SHA-256: ${createHash('sha256').update(Buffer.from(e.documentBase64, 'base64')).digest('hex')}`)
    doc
      .text(`Created: ${e.createdDateTime}`)
      .text(`Sent: ${e.sentDateTime ?? ''}`)
      .text(`Completed: ${e.completedDateTime ?? ''}`)
      .moveDown()
    for (const s of e.signers)
      doc.text(
        `Signer ${s.routingOrder}: ${s.name} <${s.email}> · ${s.status} ${s.signedDateTime ?? ''} · IP ${s.ip ?? ''}`,
      )
    doc.end()
    await done
    return Buffer.concat(chunks)
  }

  const apiServer = https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, app)
  const uiServer = http.createServer(app)
  await Promise.all([
    new Promise<void>((r) => apiServer.listen(opts.apiPort ?? 0, host, () => r())),
    new Promise<void>((r) => uiServer.listen(opts.uiPort ?? 0, host, () => r())),
  ])
  uiBase = `http://${host}:${(uiServer.address() as AddressInfo).port}`
  return {
    apiBase: `https://${host}:${(apiServer.address() as AddressInfo).port}`,
    uiBase,
    envelopes,
    deliveries,
    settled: async () => {
      while (inFlight.size) await Promise.all([...inFlight])
    },
    close: async () => {
      await Promise.all([new Promise((r) => apiServer.close(r)), new Promise((r) => uiServer.close(r))])
    },
  }
}
