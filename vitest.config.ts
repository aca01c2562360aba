import { defineConfig } from 'vitest/config'

// Five lanes. `unit`: pure functions beside their code, no database, no server, seconds.
// `integration`: the real PostgreSQL, Redis, production build and llama.cpp. `browser`: the same,
// driving pages in Debian's chromium. `fault`: the
// production build as web and worker processes through outages (issue 24), run after the integration
// lane, one file at a time. `timing`: the certification lab's timed measurements, run alone after the
// others (scripts/test.mjs).
const FAULT = 'tests/fault/**/*.test.ts'
const BROWSER = 'tests/browser/**/*.test.ts'
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
          exclude: [...TIMING, FAULT, BROWSER],
          globalSetup: ['tests/support/global-setup.ts'],
          setupFiles: ['tests/support/unit-setup.ts', 'tests/support/setup.ts'],
          // A bound on a hang, not on speed (bench/ measures speed): the slowest flows without their own
          // bound take 14 s on the 2-core CI lane beside the other files, and once took 2-3x that.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Pages driven in Debian's chromium: the same database and servers as `integration`, its own lane
        // so its time is seen and budgeted (scripts/test.mjs).
        extends: true,
        test: {
          name: 'browser',
          include: [BROWSER],
          globalSetup: ['tests/support/global-setup.ts'],
          setupFiles: ['tests/support/unit-setup.ts', 'tests/support/setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Issue 24's fault suite: it starts its own web and worker processes, PostgreSQL database and
        // redis-server, so it needs no global setup; its files run one at a time (scripts/test.mjs).
        extends: true,
        test: {
          name: 'fault',
          include: [FAULT],
          setupFiles: ['tests/support/unit-setup.ts'],
          testTimeout: 240_000,
          hookTimeout: 180_000,
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
