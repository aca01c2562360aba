import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { signInOnPage } from '../support/browser-sign-in.ts'
import { createOrganization, createUser, unique } from '../support/fixtures.ts'
import { drainJobs } from '../support/jobs.ts'
import { examFixture, giveVoucher } from '../support/training.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
let browser: Browser
const shots = mkdtempSync(join(tmpdir(), 'exam-taking-'))
beforeAll(async () => {
  server = await startAppServer()
  browser = await launchBrowser()
  console.info(`exam-taking screenshots: ${shots}`)
})
afterAll(async () => {
  await browser?.close()
  await drainJobs()
  await server?.close()
})

const navigator = (page: Page) => page.getByRole('navigation', { name: 'Questions' })
const navButton = (page: Page, n: number) =>
  navigator(page).getByRole('button', { name: new RegExp(`^Question ${n},`) })
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '')

/** What the page logs as an error, hydration mismatches included (the app has no favicon.ico: not this page's). */
function watchErrors(page: Page) {
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  return errors
}

async function startExam(opts: { minutes?: number; viewport: { width: number; height: number } }) {
  const { exam } = await examFixture({ perDomain: 10, need: 10, minutes: opts.minutes })
  const org = await createOrganization('learner', unique('Candidate'))
  const user = await createUser(org.id, 'learner')
  await giveVoucher(org.id, user.id, exam.id)
  const context = await browser.newContext({ timezoneId: 'Asia/Tokyo', locale: 'en-GB', viewport: opts.viewport })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  const errors = watchErrors(page)
  await signInOnPage(page, server.url, user.email, user.password)
  await page.goto(`${server.url}/learn/${org.slug}`)
  await page.getByRole('button', { name: 'Start the exam' }).click()
  await page.getByRole('heading', { name: 'Question 1 of 20' }).waitFor()
  return { context, page, user, errors }
}

/** Chooses the fixture's right answer ("right N") on the question on screen and waits for the save. */
async function answerRight(page: Page, n: number) {
  const question = page.locator('form.question').nth(n - 1)
  await question.getByLabel(/right \d+$/).check()
  await question.getByText('Saved.').waitFor()
  await expect.poll(() => navButton(page, n).getAttribute('aria-label')).toBe(`Question ${n}, answered`)
}

describe('taking an exam', () => {
  it('navigator, keys, flags and review; a submit with unanswered questions only after confirming', async () => {
    const { context, page, user, errors: browserErrors } = await startExam({ viewport: { width: 1440, height: 900 } })

    // The countdown runs from the server's clock; the deadline is in the candidate's zone (Tokyo, UTC+9).
    const timeLeft = page.getByTestId('time-left')
    const first = await timeLeft.textContent()
    expect(first).toMatch(/^0:(29|30):\d\d$/)
    await expect.poll(() => timeLeft.textContent(), { timeout: 5_000 }).not.toBe(first)
    const attempt = await db().examAttempt.findFirstOrThrow({ where: { userId: user.id } })
    const tokyo = new Intl.DateTimeFormat('en-GB', {
      ...{ day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' },
      ...{ timeZone: 'Asia/Tokyo', timeZoneName: 'short' },
    }).format(attempt.deadline)
    expect(tokyo).toMatch(/GMT\+9$/)
    await expect.poll(() => page.getByTestId('deadline').textContent()).toBe(tokyo)
    expect(await page.getByTestId('deadline').getAttribute('datetime')).toBe(attempt.deadline.toISOString())
    expect(await page.getByTestId('answered-count').textContent()).toBe('0 of 20 answered')
    expect(await navButton(page, 1).getAttribute('aria-current')).toBe('step')

    // Question 1 answered; Next moves on and takes the focus to the question's heading.
    await answerRight(page, 1)
    await page.getByRole('button', { name: 'Next question' }).click()
    await page.getByRole('heading', { name: 'Question 2 of 20' }).waitFor()
    await expect.poll(() => focusedText(page)).toBe('Question 2 of 20')
    expect(await navButton(page, 1).getAttribute('aria-current')).toBeNull()
    expect(await navButton(page, 2).getAttribute('aria-current')).toBe('step')

    // Flag question 2 without answering it.
    const flag = page.getByRole('button', { name: 'Flag for review' })
    await flag.click()
    expect(await flag.getAttribute('aria-pressed')).toBe('true')
    expect(await navButton(page, 2).getAttribute('aria-label')).toBe('Question 2, unanswered, flagged for review')

    // → from the heading goes to question 3; inside the radio group the arrows choose, as they always do.
    await page.keyboard.press('ArrowRight')
    await page.getByRole('heading', { name: 'Question 3 of 20' }).waitFor()
    const third = page.locator('form.question').nth(2)
    await third.getByRole('radio').first().check()
    await page.keyboard.press('ArrowDown')
    expect(await third.getByRole('radio').nth(1).isChecked()).toBe(true)
    expect(await navButton(page, 3).getAttribute('aria-current')).toBe('step')
    await answerRight(page, 3)

    // The navigator jumps to question 5; ← from its heading goes back to 4.
    await navButton(page, 5).click()
    await expect.poll(() => focusedText(page)).toBe('Question 5 of 20')
    await answerRight(page, 5)
    await page.getByRole('heading', { name: 'Question 5 of 20' }).focus()
    await page.keyboard.press('ArrowLeft')
    await page.getByRole('heading', { name: 'Question 4 of 20' }).waitFor()
    await answerRight(page, 4)
    await navButton(page, 7).click()
    await flag.click()
    expect(await page.getByTestId('answered-count').textContent()).toBe('4 of 20 answered')

    // A reload (server render, then hydration) keeps the place and the flags, which live in this tab.
    await page.reload()
    await page.getByRole('heading', { name: 'Question 7 of 20' }).waitFor()
    expect(await navButton(page, 7).getAttribute('aria-current')).toBe('step')
    expect(await navButton(page, 2).getAttribute('aria-label')).toBe('Question 2, unanswered, flagged for review')
    expect(await page.getByTestId('answered-count').textContent()).toBe('4 of 20 answered')
    await page.screenshot({ path: join(shots, 'question-1440.png'), fullPage: true })

    // The review: counts, and a link to each unanswered and flagged question.
    await page.getByRole('button', { name: 'Review and submit' }).click()
    const summary = page.getByTestId('review-summary')
    await summary.waitFor()
    expect(await summary.textContent()).toBe('4 of 20 answered: 16 unanswered, 2 flagged')
    const unanswered = page.locator('h3:text-is("Unanswered") + ul').getByRole('link')
    expect(await unanswered.allTextContents()).toEqual(
      [2, ...Array.from({ length: 15 }, (_, i) => i + 6)].map((n) => `Question ${n}`),
    )
    const flagged = page.locator('h3:text-is("Flagged for review") + ul').getByRole('link')
    expect(await flagged.allTextContents()).toEqual(['Question 2', 'Question 7'])
    expect(await page.getByTestId('unanswered-warning').textContent()).toContain('16 questions are not answered')
    await page.screenshot({ path: join(shots, 'review-1440.png'), fullPage: true })

    // A link goes back to its question; the review is one button away again.
    await flagged.getByText('Question 7').click()
    await page.getByRole('heading', { name: 'Question 7 of 20' }).waitFor()
    expect(await page.getByTestId('review-summary').count()).toBe(0)
    expect(await navButton(page, 7).getAttribute('aria-current')).toBe('step')

    // At a phone's width nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 })
    const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(await sideways()).toBeLessThanOrEqual(0)
    await page.screenshot({ path: join(shots, 'question-390.png'), fullPage: true })
    await page.getByRole('button', { name: 'Review and submit' }).click()
    await summary.waitFor()
    expect(await sideways()).toBeLessThanOrEqual(0)
    await page.screenshot({ path: join(shots, 'review-390.png'), fullPage: true })

    // The final submit, with 16 unanswered; the result page follows.
    await page.getByRole('button', { name: 'Submit and end the exam' }).click()
    await page.getByText('Not passed this time').waitFor()
    expect(await page.getByTestId('score').textContent()).toContain('4 of 20 correct (20%)')
    expect(await db().examAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({
      status: 'submitted',
      correct: 4,
      total: 20,
    })
    await page.screenshot({ path: join(shots, 'result-390.png'), fullPage: true })
    expect(browserErrors).toEqual([])
    await context.close()
  })

  it('under five minutes the time left turns to a warning, in a status message a screen reader announces', async () => {
    const { context, page, errors } = await startExam({ minutes: 4, viewport: { width: 390, height: 844 } })
    const warning = page.getByRole('status').filter({ hasText: 'Less than 5 minutes left.' })
    await warning.waitFor()
    expect(await page.getByTestId('time-left').textContent()).toMatch(/^0:0[34]:\d\d$/)
    await page.screenshot({ path: join(shots, 'warning-390.png') })
    expect(errors).toEqual([])
    await context.close()
  })
})
