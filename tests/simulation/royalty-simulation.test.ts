import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../services/platform/db/migrate.ts'
import { createEmptyDatabase } from '../support/databases.ts'

async function simulate(seed: number) {
  const database = await createEmptyDatabase()
  try {
    await migrate(database.url)
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'tests/simulation/simulate.ts', String(seed), process.env.SIMULATION_STEPS ?? '40'],
      {
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          REDIS_PREFIX: `sim_${randomBytes(4).toString('hex')}`,
          LOG_LEVEL: 'silent',
        },
        encoding: 'utf8',
        timeout: 180_000,
      },
    )
    if (r.status !== 0) throw new Error(`simulation failed:\n${r.stderr.slice(-4000)}`)
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
      sha256: string
      bytes: number
      reports: number
      closed: number
    }
  } finally {
    await database.drop()
  }
}

describe('a seeded simulation of a year of royalties', () => {
  it('keeps every invariant at every step, and the same seed replays to byte-identical statements', async () => {
    const seed = Number(process.env.SIMULATION_SEED ?? 20261126)
    const first = await simulate(seed)
    const second = await simulate(seed)
    expect(first.reports).toBeGreaterThan(5)
    expect(second).toEqual(first)
  }, 400_000)
})
