/* eslint-disable max-len -- the lessons are prose, kept one paragraph per line */
import { db } from '../services/platform/db/client.ts'
import { newId } from '../services/platform/db/ids.ts'
import { now } from '../services/platform/clock.ts'
import { hashPassword } from '../services/identity/password.ts'
import { actorForUser } from '../services/identity/sessions.ts'
import { tenantScope, systemScope } from '../services/tenancy/tenant-guard.ts'
import { seededRandom } from '../services/training/seeded-random.ts'
import { startAttempt } from '../services/training/start-attempt.ts'
import { saveAnswer } from '../services/training/save-answer.ts'
import { submitAttempt } from '../services/training/submit-attempt.ts'
import { assignSeat } from '../services/training/assign-seat.ts'
import { sellSeatPack } from '../services/training/sell-seat-pack.ts'
import { DEMO_PASSWORD } from './demo.ts'
import { demoItemBank } from './demo-exam-items.ts'
import { choiceValue } from '../services/training/choice-values.ts'

export const DEMO_COURSE = 'running-llama-cpp-in-production'
export const DEMO_EXAM = 'ggml-certified-engineer'

const lessons: [string, [string, string][]][] = [
  [
    'Models and GGUF',
    [
      [
        'What is in a GGUF file',
        '# GGUF\n\nA GGUF file holds **metadata** (architecture, hyperparameters, tokenizer, chat template) and **tensors**, aligned so they can be memory-mapped.\n\n```sh\npython convert_hf_to_gguf.py ./model --outtype f16\n```',
      ],
      [
        'Choosing a quantization',
        'Start from `Q4_K_M` for general use; `Q5_K_M` and `Q6_K` trade size for quality. Measure with `llama-perplexity` on your own text.',
      ],
    ],
  ],
  [
    'Serving',
    [
      [
        'llama-server in production',
        'Run `llama-server -m model.gguf -c 8192 -np 4 --metrics`. Each slot gets `n_ctx / np` tokens of context; continuous batching serves them together.',
      ],
      [
        'Context, batch and KV cache',
        'The KV cache costs `2 × layers × n_ctx × kv_dim × bytes`. Quantize it with `--cache-type-k q8_0 --cache-type-v q8_0` and enable `-fa`.',
      ],
    ],
  ],
  [
    'Backends and hardware',
    [
      [
        'CPU, CUDA, Metal, Vulkan',
        'Offload layers with `-ngl`. Generation is memory-bandwidth bound: a 4 GB model on 100 GB/s reads at most 25 tokens/s.',
      ],
      [
        'Several GPUs',
        '`--split-mode layer` (default) places whole layers; `row` spreads matrices and needs fast links.',
      ],
    ],
  ],
  [
    'Measuring performance',
    [
      [
        'llama-bench',
        '`llama-bench -m model.gguf -p 512 -n 128 -r 5` reports **pp512** and **tg128** as mean ± stddev. Publish the spread, the build and the settings.',
      ],
    ],
  ],
]

/** The demo's course, exam and a bank of 60 reviewed items (Ines writes, Rui reviews). Runs once. */
async function seedCatalog(): Promise<string> {
  const existing = await db().exam.findUnique({ where: { slug: DEMO_EXAM } })
  if (existing) return existing.id
  const ines = await db().user.findUniqueOrThrow({ where: { email: 'instructor@ggml.example' } })
  const rui = await db().user.findUniqueOrThrow({ where: { email: 'reviewer@ggml.example' } })
  const courseId = newId()
  await db().course.create({
    data: {
      id: courseId,
      slug: DEMO_COURSE,
      title: 'Running llama.cpp in production',
      summary:
        'From a Hugging Face model to a measured, monitored llama-server: GGUF, quantization, batching, backends.',
      prerequisites: 'Comfortable on a Linux shell; no machine-learning background needed.',
      priceMinor: 49_900n,
      published: true,
    },
  })
  for (const [m, [title, items]] of lessons.entries()) {
    const moduleId = newId()
    await db().courseModule.create({ data: { id: moduleId, courseId, position: m, title } })
    for (const [l, [lessonTitle, body]] of items.entries())
      await db().courseLesson.create({
        data: { id: newId(), moduleId, position: l, title: lessonTitle, bodyMarkdown: body },
      })
  }
  const domains = Object.keys(demoItemBank)
  const examId = newId()
  await db().exam.create({
    data: {
      id: examId,
      slug: DEMO_EXAM,
      title: 'GGML Certified Engineer',
      summary:
        'Certifies that you can deploy, tune and measure llama.cpp: GGUF, quantization, batching, backends, benchmarking.',
      priceMinor: 20_000n,
      courseId,
      timeLimitMinutes: 60,
      passPercent: 70,
      validityMonths: 24,
      blueprint: Object.fromEntries(domains.map((d) => [d, 4])),
      maxExposurePercent: 60,
      maxOverlapPercent: 25,
      retakeWaitDays: [14, 60, 365],
      yearlyCap: 4,
      published: true,
    },
  })
  for (const domain of domains)
    for (const [n, [stem, texts, key, explanation]] of demoItemBank[domain]!.entries()) {
      const itemId = newId()
      const versionId = newId()
      await db().examItem.create({ data: { id: itemId, examId, domain } })
      const choices = texts.map((text, i) => ({ id: String.fromCharCode(97 + i), text }))
      // The last item of each domain waits for review, so the demo shows the review queue.
      const live = n < 11 || domain !== domains[0]
      await db().examItemVersion.create({
        data: {
          id: versionId,
          itemId,
          version: 1,
          kind: key.length > 1 ? 'multiple' : 'single',
          stem,
          choices,
          key: key.map((k) => choices[k - 1]!.id),
          explanation,
          difficulty: 1 + (n % 5),
          tags: [domain.toLowerCase()],
          state: live ? 'live' : 'in_review',
          authorId: ines.id,
          reviewerId: live ? rui.id : null,
          reviewedAt: live ? now() : null,
        },
      })
      if (live) await db().examItem.update({ where: { id: itemId }, data: { liveVersionId: versionId } })
    }
  await db().trainingBundle.create({
    data: {
      id: newId(),
      slug: 'course-and-certification',
      title: 'Running llama.cpp in production + GGML Certified Engineer',
      summary:
        'The course and an exam voucher (the voucher is for a retake or a second attempt after the included one).',
      courseId,
      examId,
      priceMinor: 59_900n,
      published: true,
    },
  })
  await db().trainingPromotionCode.create({
    data: { code: 'LAUNCH20', percentOff: 20, maxRedemptions: 500, expiresAt: new Date(Date.UTC(2030, 0, 1)) },
  })
  return examId
}

/** Helix Mutual bought a pack of ten seats; seven people hold one and six have taken the exam. */
const candidates = [
  { email: 'learner@helix.example', name: 'Lee Learner', ability: 0.95 },
  { email: 'mia@helix.example', name: 'Mia Helix', ability: 0.85 },
  { email: 'noah@helix.example', name: 'Noah Helix', ability: 0.75 },
  { email: 'olga@helix.example', name: 'Olga Helix', ability: 0.6 },
  { email: 'paul@helix.example', name: 'Paul Helix', ability: 0.5 },
  { email: 'quinn@helix.example', name: 'Quinn Helix', ability: 0.8 },
  { email: 'rosa@helix.example', name: 'Rosa Helix', ability: 0 },
]

export async function seedDemoTraining(): Promise<void> {
  const examId = await seedCatalog()
  const helix = await db().organization.findUniqueOrThrow({ where: { slug: 'helix-mutual' } })
  if (await db().trainingSeatPack.count({ where: { organizationId: helix.id } })) return
  const fei = await db().user.findUniqueOrThrow({ where: { email: 'finance@ggml.example' } })
  const sold = await sellSeatPack(await tenantScope(await actorForUser(fei.id), { id: helix.id }, 'portal.view'), {
    courseSlug: DEMO_COURSE,
    examSlug: DEMO_EXAM,
    seats: 10,
    price: '50000',
  })
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const hana = await db().user.findUniqueOrThrow({ where: { email: 'admin@helix.example' } })
  const hanaScope = await tenantScope(await actorForUser(hana.id), { id: helix.id }, 'training.manage_seats')
  const random = seededRandom('demo-training')
  for (const c of candidates) {
    const user = await db().user.upsert({
      where: { email: c.email },
      create: { id: newId(), email: c.email, name: c.name, passwordHash },
      update: {},
    })
    await db().membership.upsert({
      where: { userId_organizationId: { userId: user.id, organizationId: helix.id } },
      create: { id: newId(), userId: user.id, organizationId: helix.id, role: 'learner' },
      update: {},
    })
    await assignSeat(hanaScope, { packId: sold.packId, email: c.email })
    if (c.ability === 0) continue
    // Each candidate takes the exam through the same use cases as a person would.
    const scope = await tenantScope(await actorForUser(user.id), { id: helix.id }, 'training.learn')
    const attempt = await startAttempt(scope, { examSlug: DEMO_EXAM })
    const items = await (
      await systemScope(helix.id)
    ).db.examAttemptItem.findMany({
      where: { attemptId: attempt.id },
      include: { itemVersion: { select: { key: true } } },
    })
    for (const i of items) {
      const wrong = i.choiceOrder.filter((x) => !i.itemVersion.key.includes(x)).slice(0, 1)
      const answer = random() < c.ability ? i.itemVersion.key : wrong
      // As the page submits them: the choices' opaque values for this attempt (choice-values.ts).
      await saveAnswer(scope, {
        attemptId: attempt.id,
        position: i.position,
        answer: answer.map((id) => choiceValue(attempt.id, i.position, id)),
      })
    }
    await submitAttempt(scope, { attemptId: attempt.id })
  }
  void examId
}
