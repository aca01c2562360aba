import { chromium } from 'playwright-core'
const [url, email, ...paths] = process.argv.slice(2)
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const p = await b.newPage({ viewport: { width: 1280, height: 900 } })
await p.goto(url + '/login')
await p.getByLabel('Email').fill(email); await p.getByLabel('Password').fill('ggml-demo-2026')
await p.getByRole('button', { name: 'Sign in' }).click(); await p.waitForLoadState('networkidle')
let i = 0
for (const path of paths) { await p.goto(url + path); await p.waitForLoadState('networkidle'); await p.waitForTimeout(800); await p.screenshot({ path: `/tmp/page${i++}.png`, fullPage: true }) }
await b.close()
