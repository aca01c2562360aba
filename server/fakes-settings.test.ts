import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseEnv } from 'node:util'
import { describe, expect, it } from 'vitest'
import { demoLayout, fakesEnvPath, fakesFor, readFakesEnv, writeFakesEnv } from './fakes-settings.ts'

describe("the demo's processes and the fakes' settings", () => {
  it('lays every process out from PORT, so two demos side by side do not collide', () => {
    expect(demoLayout({ PORT: '3700', DEMO_WEB_PROCESSES: '2' })).toEqual({
      webPorts: [3700, 3701],
      workerPort: 3704,
      webUrl: 'http://127.0.0.1:3700',
      idpPort: 3705,
      stripePort: 3706,
      docusignPort: 3707,
      docusignSigningPort: 3708,
      githubPort: 3709,
    })
    expect(demoLayout({ PORT: '3000', FAKES_STRIPE_PORT: '12111', WORKER_PORT: '8081' })).toMatchObject({
      webPorts: [3000],
      workerPort: 8081,
      stripePort: 12111,
    })
    expect(() => demoLayout({ DEMO_WEB_PROCESSES: '9' })).toThrow('DEMO_WEB_PROCESSES is 1 to 4')
  })

  it('writes settings that Node reads back unchanged, readable by their owner only', () => {
    const file = fakesEnvPath(mkdtempSync(path.join(tmpdir(), 'fakes-env-')))
    const vars = {
      STRIPE_WEBHOOK_SECRET: 'whsec_a+b/c=',
      DOCUSIGN_CONNECT_HMAC_KEYS: 'k1==,k2',
      GITHUB_API_URL: 'http://127.0.0.1:3709',
    }
    writeFakesEnv(file, vars)
    expect(readFakesEnv(file)).toEqual(vars)
    expect(parseEnv(readFileSync(file, 'utf8'))).toEqual(vars)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(() => writeFakesEnv(file, { A: "it's" })).toThrow('holds a quote')
  })

  it('stands in only for the services that are not configured', () => {
    const fakes = {
      STRIPE_SECRET_KEY: 'sk_test_local',
      STRIPE_API_BASE: 'http://127.0.0.1:3706',
      DOCUSIGN_INTEGRATION_KEY: 'local',
      DOCUSIGN_BASE_PATH: 'https://127.0.0.1:3707/restapi',
      GITHUB_TOKEN: 'ghp_local',
      CLOUD_SERVICE_TOKEN: 'cloud_local',
      FAKES_IDP_METADATA_URL: 'http://127.0.0.1:3705/metadata',
    }
    expect(fakesFor(fakes, { STRIPE_SECRET_KEY: 'sk_test_real', GITHUB_TOKEN: 'ghp_real' })).toEqual({
      DOCUSIGN_INTEGRATION_KEY: 'local',
      DOCUSIGN_BASE_PATH: 'https://127.0.0.1:3707/restapi',
      CLOUD_SERVICE_TOKEN: 'cloud_local',
      FAKES_IDP_METADATA_URL: 'http://127.0.0.1:3705/metadata',
    })
    expect(fakesFor(fakes, {})).toEqual(fakes)
  })
})
