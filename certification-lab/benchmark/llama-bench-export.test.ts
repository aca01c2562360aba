import { describe, expect, it } from 'vitest'
import type { LlamaBenchRecord } from './llama-bench.ts'
import { toLlamaBenchSql } from './llama-bench-export.ts'

describe('llama-bench SQL export', () => {
  it('quotes every column name, so a runner-chosen key cannot become SQL', () => {
    const record = { n_prompt: 512, avg_ts: 100.5, 'x INTEGER); DROP TABLE test; --': "it's", 'a"b': true }
    const sql = toLlamaBenchSql([record as unknown as LlamaBenchRecord])
    expect(sql).toBe(
      'CREATE TABLE IF NOT EXISTS test (\n' +
        '  "n_prompt" INTEGER,\n  "avg_ts" REAL,\n  "x INTEGER); DROP TABLE test; --" TEXT,\n  "a""b" INTEGER\n);\n' +
        'INSERT INTO test ("n_prompt", "avg_ts", "x INTEGER); DROP TABLE test; --", "a""b") ' +
        "VALUES (512, 100.5, 'it''s', 1);\n",
    )
  })
})
