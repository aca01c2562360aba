import type { Page } from 'playwright-core'
import { nextCodeFor } from './second-factor.ts'

/** Signs in on /login like a person, typing the authenticator's code when the platform asks for it. */
export async function signInOnPage(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL((u) => u.pathname !== '/login')
  if (new URL(page.url()).pathname === '/login/two-factor') {
    await page.getByLabel('Authentication code').fill(await nextCodeFor(email))
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  }
}
