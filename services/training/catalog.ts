import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { moneyIn } from '../engagements/engagement-money.ts'
import { blueprintSchema, formSize } from './exam-policy.ts'
import { FREE_RETAKE_DAYS, RECERTIFY_WINDOW_DAYS } from './retake-policy.ts'
import { VOUCHER_MONTHS } from './fulfil-checkout.ts'

/** Corporate packages: sold on invoice by ggml's team (seat packs), described here for buyers. */
export const corporatePackages = [
  {
    name: 'Team',
    seats: 25,
    price: '$50,000',
    includes: 'The course and one exam attempt per seat, progress reporting',
  },
  { name: 'Department', seats: 60, price: '$100,000', includes: 'As Team, plus a live Q&A with ggml engineers' },
]

const examPolicy = (e: {
  timeLimitMinutes: number
  passPercent: number
  validityMonths: number
  retakeWaitDays: number[]
  yearlyCap: number
  blueprint: unknown
}) => {
  const blueprint = blueprintSchema.parse(e.blueprint)
  return {
    items: formSize(blueprint),
    domains: Object.entries(blueprint).map(([domain, count]) => ({ domain, count })),
    timeLimitMinutes: e.timeLimitMinutes,
    passPercent: e.passPercent,
    validityMonths: e.validityMonths,
    rules: [
      `${formSize(blueprint)} questions in ${e.timeLimitMinutes} minutes; pass mark ${e.passPercent}%.`,
      `The certificate is valid for ${e.validityMonths} months; ` +
        `recertification opens ${RECERTIFY_WINDOW_DAYS} days before it expires.`,
      `A voucher is valid for ${VOUCHER_MONTHS} months and refundable until you start the exam.`,
      `One free retake within ${FREE_RETAKE_DAYS} days of a failed paid attempt.`,
      `Waits between attempts after failing: ${e.retakeWaitDays.map((d) => `${d} days`).join(', then ')}; ` +
        `at most ${e.yearlyCap} attempts in any 365 days.`,
      'Extra time is available as an accommodation: write to training@ggml.ai before you book.',
      'Answers are saved as you give them; at the deadline the exam is submitted with what was saved.',
    ],
  }
}

/** The public catalog: what is for sale, with prices, outlines, prerequisites and policies. */
export async function catalog() {
  const [courses, exams, bundles] = await Promise.all([
    unscopedDb('catalogue').course.findMany({
      where: { published: true },
      orderBy: { title: 'asc' },
      include: { modules: { orderBy: { position: 'asc' }, include: { lessons: { select: { id: true } } } } },
    }),
    unscopedDb('catalogue').exam.findMany({ where: { published: true }, orderBy: { title: 'asc' } }),
    unscopedDb('catalogue').trainingBundle.findMany({
      where: { published: true },
      orderBy: { title: 'asc' },
      include: { course: { select: { priceMinor: true } }, exam: { select: { priceMinor: true } } },
    }),
  ])
  return {
    courses: courses.map((c) => ({
      slug: c.slug,
      title: c.title,
      summary: c.summary,
      price: moneyIn(c.priceMinor, c.currency),
      modules: c.modules.length,
      lessons: c.modules.reduce((n, m) => n + m.lessons.length, 0),
    })),
    exams: exams.map((e) => ({
      slug: e.slug,
      title: e.title,
      summary: e.summary,
      price: moneyIn(e.priceMinor, e.currency),
      ...examPolicy(e),
    })),
    bundles: bundles.map((b) => ({
      slug: b.slug,
      title: b.title,
      summary: b.summary,
      price: moneyIn(b.priceMinor, b.currency),
      saving: moneyIn(b.course.priceMinor + b.exam.priceMinor - b.priceMinor, b.currency),
    })),
    packages: corporatePackages,
  }
}

export async function coursePage(slug: string) {
  const c = await unscopedDb('catalogue').course.findUnique({
    where: { slug },
    include: {
      modules: {
        orderBy: { position: 'asc' },
        include: { lessons: { orderBy: { position: 'asc' }, select: { title: true } } },
      },
      exams: { where: { published: true }, select: { slug: true, title: true } },
    },
  })
  if (!c?.published) throw new AppError('not_found', 'No such course.')
  return {
    slug: c.slug,
    title: c.title,
    summary: c.summary,
    prerequisites: c.prerequisites,
    price: moneyIn(c.priceMinor, c.currency),
    outline: c.modules.map((m) => ({ title: m.title, lessons: m.lessons.map((l) => l.title) })),
    exams: c.exams,
  }
}

export async function examPage(slug: string) {
  const e = await unscopedDb('catalogue').exam.findUnique({
    where: { slug },
    include: { course: { select: { slug: true, title: true } } },
  })
  if (!e?.published) throw new AppError('not_found', 'No such exam.')
  return {
    slug: e.slug,
    title: e.title,
    summary: e.summary,
    price: moneyIn(e.priceMinor, e.currency),
    course: e.course,
    ...examPolicy(e),
  }
}
