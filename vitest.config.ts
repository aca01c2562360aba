import { defineConfig } from 'vitest/config'

// Two lanes. `unit`: pure functions beside their code, no database, no server, seconds.
// `integration`: the real PostgreSQL, Redis, production build, browser and llama.cpp.
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
          globalSetup: ['tests/support/global-setup.ts'],
          setupFiles: ['tests/support/unit-setup.ts', 'tests/support/setup.ts'],
          // A bound on a hang, not on speed (bench/ measures speed): the slowest flows without their own
          // bound take 14 s on the 2-core CI lane beside the other files, and once took 2-3x that.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
