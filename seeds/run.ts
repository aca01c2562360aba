import { appUrl, env } from '../services/platform/config/env.ts'
import { bootLocalGitHub } from '../fakes/github/boot-local-github.ts'
import { seedDemoCredits } from './demo-credits.ts'
import { seedDemoServices } from './demo-services.ts'
import { seedDemoTraining } from './demo-training.ts'
import { seedDemoInbox } from './demo-inbox.ts'
import { seedDemoAccounting } from './demo-accounting.ts'
import { bootInfrastructure } from '../server/boot.ts'
import { db } from '../services/platform/db/client.ts'
import { printDemoSignIns, seedDemoData } from './demo.ts'
import { seedDemoContracts } from './demo-contracts.ts'
import { seedDemoWebhooks } from './demo-webhooks.ts'
import { bootLocalDocuSign } from '../fakes/docusign/boot-local-docusign.ts'
import { isDocuSignConfigured } from '../services/platform/docusign/docusign-config.ts'
import { dataDir } from '../services/platform/config/env.ts'
import { bootLocalSamlIdp } from '../fakes/saml-idp/local-saml-idp.ts'
import { demoIdpUsers, seedDemoSso } from './demo-sso.ts'

// `npm run seed`: the contracts go through DocuSign (the local server unless one is configured).
await bootInfrastructure()
await seedDemoData()
const local = isDocuSignConfigured()
  ? undefined
  : await bootLocalDocuSign({ dir: dataDir('docusign-local'), connectUrl: 'http://127.0.0.1:1/unused' })
await seedDemoContracts()
await local?.close()
// After the contracts: Northwind's webhook history is about its signed contract and first report.
await seedDemoWebhooks()
// The contribution snapshot reads GitHub (the local server unless a token is configured).
const github = env().GITHUB_TOKEN ? undefined : await bootLocalGitHub()
await seedDemoCredits()
await github?.close()
await seedDemoServices()
await seedDemoTraining()
await seedDemoInbox()
// Last month closed and its journal exported for the books (issue 32).
await seedDemoAccounting()
const idp = await bootLocalSamlIdp({ port: env().PORT + 5, dir: dataDir('saml-idp-local'), users: demoIdpUsers })
await seedDemoSso(idp)
await idp.close()
printDemoSignIns(appUrl())
await db().$disconnect()
process.exit(0)
