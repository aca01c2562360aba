import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actorForUser } from '../../services/identity/sessions.ts'
import { authorItem } from '../../services/training/author-item.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { signInOnPage } from '../support/browser-sign-in.ts'
import { examFixture } from '../support/training.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
let browser: Browser
beforeAll(async () => {
  server = await startAppServer()
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('the item lint where reviewers look (issue 26)', () => {
  it('the statistics page shows the bank lint, bank-level first; the review shows an item’s own findings', async () => {
    // The fixture's key is "right n", the shortest choice, and always choice a, in all 12 items.
    const { exam, author, reviewer } = await examFixture()
    await authorItem(await actorForUser(author.id), {
      examSlug: exam.slug,
      domain: 'alpha',
      kind: 'single',
      stem: 'Which backends are part of ggml?',
      choices: 'CUDA\nDirectML\nAll of the above',
      key: '1',
      explanation: 'DirectML is not a ggml backend.',
      difficulty: '2',
    })

    const page = await browser.newPage()
    page.setDefaultTimeout(10_000)
    await signInOnPage(page, server.url, reviewer.email, reviewer.password)
    await page.goto(`${server.url}/training/exams/${exam.slug}/statistics`)
    const bankFindings = page.getByRole('list', { name: 'Bank-level findings' }).getByRole('listitem')
    expect(await bankFindings.allTextContents()).toEqual([
      'error The key is the unique shortest choice in 12 of 12 single-choice items: a candidate who always picks ' +
        'the shortest choice scores 100% where chance is 25%. Bring it to 35% or less: lengthen those keys or ' +
        'shorten their distractors.',
      expect.stringMatching(
        /^warning Choice a is the key in 12 of 12 single-choice items \(100% where chance is 25%\)/,
      ),
    ])
    const shortest = page.getByRole('row', { name: /Pick the shortest choice/ })
    expect(await shortest.getAttribute('data-flagged')).toBe('yes')
    expect(await page.getByRole('row', { name: /Pick the longest choice/ }).getAttribute('data-flagged')).toBe('no')

    await page.goto(`${server.url}/training/exams/${exam.slug}/items`)
    const review = page.locator('form', { has: page.getByRole('button', { name: 'Approve v1' }) })
    const finding = review.getByRole('list', { name: 'Item lint' }).getByRole('listitem')
    expect(await finding.allTextContents()).toEqual([expect.stringContaining('Choice c ("All of the above") refers')])
    await page.close()
  })
})
