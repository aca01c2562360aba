import { AppError } from '../platform/errors/app-error.ts'
import { seededRandom, shuffled } from './seeded-random.ts'

export interface BankItem {
  itemId: string
  versionId: string
  domain: string
  /** Forms this item is already on. */
  exposureCount: number
  choiceIds: readonly string[]
}

export interface FormPolicy {
  /** How many items each domain contributes. */
  blueprint: Readonly<Record<string, number>>
  /** No item on more than this share of forms (per cent), counting the form being assembled. */
  maxExposurePercent: number
  /** At most this share of the form may repeat items from the candidate's earlier forms (per cent). */
  maxOverlapPercent: number
}

export interface FormItem {
  itemId: string
  versionId: string
  domain: string
  choiceOrder: string[]
}

/** Forms assembled before the cap binds: with only a few forms, every share is large. */
export const EXPOSURE_WARMUP_FORMS = 20

/** The most forms an item may be on once this form is assembled (the cap counts this form too). */
export function exposureCap(maxExposurePercent: number, formsAfter: number): number {
  return Math.max(Math.ceil((maxExposurePercent * Math.max(formsAfter, EXPOSURE_WARMUP_FORMS)) / 100), 1)
}

export const overlapAllowance = (formSize: number, maxOverlapPercent: number) =>
  Math.floor((formSize * maxOverlapPercent) / 100)

/**
 * One candidate's form: for each domain of the blueprint, items drawn from the live bank in a
 * seeded order, least exposed first, items the candidate has not seen before the ones they have,
 * within the exposure cap and the overlap allowance; choices shuffled per item. Same seed and bank,
 * same form. A bank that cannot meet the policy is refused with what is short, never a weaker form.
 */
export function assembleForm(input: {
  seed: string
  bank: readonly BankItem[]
  policy: FormPolicy
  formsAssembled: number
  /** Items on the candidate's earlier forms of this exam. */
  seenItemIds: ReadonlySet<string>
}): FormItem[] {
  const { seed, bank, policy, formsAssembled, seenItemIds } = input
  const random = seededRandom(seed)
  const cap = exposureCap(policy.maxExposurePercent, formsAssembled + 1)
  const size = Object.values(policy.blueprint).reduce((a, b) => a + b, 0)
  let overlapLeft = overlapAllowance(size, policy.maxOverlapPercent)
  const form: FormItem[] = []
  for (const domain of Object.keys(policy.blueprint).sort()) {
    const need = policy.blueprint[domain]!
    const open = shuffled(
      bank.filter((i) => i.domain === domain && i.exposureCount < cap),
      random,
    )
    // A stable sort keeps the seeded order among equals: unseen first, then the least exposed.
    open.sort(
      (a, b) =>
        Number(seenItemIds.has(a.itemId)) - Number(seenItemIds.has(b.itemId)) || a.exposureCount - b.exposureCount,
    )
    const picked: BankItem[] = []
    for (const item of open) {
      if (picked.length === need) break
      if (seenItemIds.has(item.itemId)) {
        if (overlapLeft === 0) continue
        overlapLeft--
      }
      picked.push(item)
    }
    if (picked.length < need) {
      const live = bank.filter((i) => i.domain === domain).length
      throw new AppError(
        'conflict',
        `The item bank cannot assemble a form: domain "${domain}" needs ${need} items and has ${picked.length} ` +
          `that respect the exposure cap and the retake overlap limit (${live} live). Add or review items.`,
      )
    }
    for (const item of picked)
      form.push({
        itemId: item.itemId,
        versionId: item.versionId,
        domain,
        choiceOrder: shuffled(item.choiceIds, random),
      })
  }
  // The candidate meets the domains mixed, in a seeded order.
  return shuffled(form, random)
}
