// Run by tests/integration/redis-away.test.ts with REDIS_URL pointing where nothing listens: signs in as a
// web process would while Redis is away, and prints what each attempt got and how long it took.
import { signIn } from '../../services/identity/sign-in.ts'

const [email, password] = process.argv.slice(2) as [string, string]
const attempts: { outcome: string; ms: number }[] = []
const attempt = async (pw: string) => {
  const started = performance.now()
  let outcome: string
  try {
    outcome = (await signIn({ email, password: pw, ip: '203.0.113.9' })).kind
  } catch (e) {
    outcome = (e as { code?: string }).code ?? String(e)
  }
  attempts.push({ outcome, ms: Math.round(performance.now() - started) })
}
await attempt(password)
for (let i = 0; i < 12; i++) await attempt('wrong password')
await attempt(password)
process.stdout.write(JSON.stringify(attempts) + '\n')
process.exit(0)
