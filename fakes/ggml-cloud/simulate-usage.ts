import { randomUUID } from 'node:crypto'

/**
 * A small simulator of GGML Cloud for the demo and the benchmark: it reports contributors' usage to
 * the platform exactly as GGML Cloud does, through POST /api/v1/credits/usage with the service token
 * and an idempotency key, and returns what the platform answered.
 */
export interface SimulatedUsage {
  account: string
  category: 'inference' | 'fine_tuning' | 'storage'
  amount: string
  occurredAt: string
  idempotencyKey?: string
}

export async function reportUsage(baseUrl: string, token: string, u: SimulatedUsage) {
  const { idempotencyKey, ...body } = u
  const res = await fetch(`${baseUrl}/api/v1/credits/usage`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${token}`,
      'Idempotency-Key': idempotencyKey ?? `sim-${randomUUID()}`,
    },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

/** A day of usage for each account: a few inference calls, now and then a fine-tune or storage. */
export function dayOfUsage(accounts: string[], day: string, seed = 1): SimulatedUsage[] {
  let s = seed
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32
  return accounts.flatMap((account) => {
    const out: SimulatedUsage[] = []
    const n = 1 + Math.floor(rand() * 3)
    for (let i = 0; i < n; i++) {
      const category = rand() < 0.7 ? 'inference' : rand() < 0.5 ? 'fine_tuning' : 'storage'
      const cents = 50 + Math.floor(rand() * (category === 'fine_tuning' ? 4000 : 900))
      out.push({
        account,
        category,
        amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
        occurredAt: `${day}T${String(8 + i * 3).padStart(2, '0')}:00:00Z`,
      })
    }
    return out
  })
}
