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
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
