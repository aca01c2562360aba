import { seedDemoData } from './seeds/demo.ts'
import { seedDemoCredits } from './seeds/demo-credits.ts'
import { bootLocalGitHub } from './fakes/github/boot-local-github.ts'
import { db } from './services/db/client.ts'
const t0 = performance.now()
const gh = await bootLocalGitHub()
await seedDemoData()
await seedDemoCredits()
console.log('seconds', ((performance.now() - t0) / 1000).toFixed(1), gh.stats)
console.log(await db().creditGrant.groupBy({ by: ['status'], _count: true }))
console.log(await db().creditUsage.count(), await db().contributorScore.count(), await db().creditReminder.findMany())
const top = await db().contributorScore.findMany({ where: { rank: { lte: 3 } } })
console.log(top.map((t) => [t.login, t.email, t.score, t.rank]))
console.log(await db().contributorScore.findMany({ where: { OR: [{ excluded: { not: null } }, { mergedLogins: { isEmpty: false } }] }, select: { login: true, excluded: true, mergedLogins: true } }))
process.exit(0)
