import { bootInfrastructure } from '../services/platform/boot.ts'
import { db } from '../services/db/client.ts'
import { printDemoSignIns, seedDemoData } from './demo.ts'

// `npm run seed`
await bootInfrastructure()
await seedDemoData()
printDemoSignIns(process.env.APP_URL ?? 'http://localhost:3000')
await db().$disconnect()
process.exit(0)
