import type { Page } from 'playwright-core'
import { nextCodeFor } from './second-factor.ts'

/**
 * Signs in on /login like a person: the email, then the password step (issue 28: email first), typing the
 * authenticator's code when the platform asks for it.
 */
export async function signInOnPage(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`)
  await passwordStep(page, email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL((u) => u.pathname !== '/login')
  if (new URL(page.url()).pathname === '/login/two-factor') {
    await page.getByLabel('Authentication code').fill(await nextCodeFor(email))
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  }
}

/** The email step of /login, answered with an address that has no single sign-on: the password step appears. */
export async function passwordStep(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email').fill(email)
  await page.getByRole('button', { name: 'Continue', exact: true }).click()
  await page.getByLabel('Password').waitFor()
}
