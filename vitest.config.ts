import { defineConfig } from 'vitest/config'

// Three lanes. `unit`: pure functions beside their code, no database, no server, seconds.
// `integration`: the real PostgreSQL, Redis, production build, browser and llama.cpp. `timing`: the
// certification lab's timed measurements, run alone after the others (scripts/test.mjs).
const TIMING = [
  'tests/integration/certification-e2e.test.ts',
  'tests/integration/certification-challenge.test.ts',
  'tests/integration/llama-bench.test.ts',
]

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    env: { NODE_ENV: 'test' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'services/**/*.test.ts',
            'server/**/*.test.ts',
            'certification-lab/**/*.test.ts',
            'app/**/*.test.ts',
          ],
          setupFiles: ['tests/support/unit-setup.ts'],
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          exclude: TIMING,
          globalSetup: ['tests/support/global-setup.ts'],
          setupFiles: ['tests/support/unit-setup.ts', 'tests/support/setup.ts'],
          // A bound on a hang, not on speed (bench/ measures speed): the slowest flows without their own
          // bound take 14 s on the 2-core CI lane beside the other files, and once took 2-3x that.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The certification lab's measurements and timed challenges: run alone, after the rest
        // (scripts/test.mjs), so no other file's work shares the two cores while they are timed.
        extends: true,
        test: {
          name: 'timing',
          include: TIMING,
          globalSetup: ['tests/support/global-setup.ts'],
          setupFiles: ['tests/support/unit-setup.ts', 'tests/support/setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
