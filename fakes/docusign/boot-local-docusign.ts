import { registerLocalDocuSign, type DocuSignConfig } from '../../services/platform/docusign/docusign-config.ts'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import selfsigned from 'selfsigned'
import { startLocalDocuSign, type LocalDocuSign } from './local-docusign.ts'

/**
 * Starts the local DocuSign server and points the platform's DocuSign settings at it, exactly as a
 * real account would be configured: an RSA key pair for the JWT grant, a Connect HMAC key, the
 * server's self-signed CA. With a directory, keys and envelopes survive restarts (the demo).
 */
export async function bootLocalDocuSign(opts: {
  dir?: string
  connectUrl: string
  apiPort?: number
  uiPort?: number
}): Promise<LocalDocuSign & { config: DocuSignConfig }> {
  const secrets = await loadOrCreateSecrets(opts.dir)
  const integrationKey = 'local-integration-key'
  const userId = 'local-api-user'
  const accountId = 'local-account'
  const server = await startLocalDocuSign({
    integrationKey,
    userId,
    accountId,
    publicKeyPem: secrets.publicKey,
    tls: { key: secrets.tlsKey, cert: secrets.tlsCert },
    hmacKey: secrets.hmacKey,
    connectUrl: opts.connectUrl,
    dataDir: opts.dir,
    apiPort: opts.apiPort,
    uiPort: opts.uiPort,
  })
  const config: DocuSignConfig = {
    integrationKey,
    userId,
    accountId,
    basePath: `${server.apiBase}/restapi`,
    oAuthBasePath: server.apiBase.replace(/^https:\/\//, ''),
    privateKey: secrets.privateKey,
    hmacKeys: [secrets.hmacKey],
    caCert: secrets.tlsCert,
    signingOrigins: [server.uiBase],
  }
  registerLocalDocuSign(config)
  // The settings also go to other processes, as the DOCUSIGN_* variables (server/fakes.ts).
  return Object.assign(server, { config })
}

interface Secrets {
  privateKey: string
  publicKey: string
  tlsKey: string
  tlsCert: string
  hmacKey: string
}

async function loadOrCreateSecrets(dir?: string): Promise<Secrets> {
  const file = dir ? path.join(dir, 'secrets.json') : undefined
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 10 * 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  })
  const secrets = {
    privateKey,
    publicKey,
    tlsKey: pems.private,
    tlsCert: pems.cert,
    hmacKey: randomBytes(32).toString('base64'),
  }
  if (file && dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 })
  }
  return secrets
}
