import { afterEach, describe, expect, it } from 'vitest'
import { APP_ROLE, appDatabaseUrl, scramVerifier } from './app-role.ts'

afterEach(() => {
  delete process.env.APP_DATABASE_URL
})

describe('the app role’s connection', () => {
  it('is the owner’s server and database as ggml_app, with a password of its own derived from the owner’s', () => {
    const owner = 'postgresql://owner:s3cret@db.internal:6543/platform?sslmode=require'
    const app = new URL(appDatabaseUrl(owner))
    expect([app.username, app.host, app.pathname, app.searchParams.get('sslmode')]).toEqual([
      APP_ROLE,
      'db.internal:6543',
      '/platform',
      'require',
    ])
    expect(app.password).toMatch(/^[\w-]{43}$/)
    expect(app.password).not.toContain('s3cret')
    // The same owner secret gives the same password in every process; another gives another.
    expect(appDatabaseUrl(owner)).toBe(app.toString())
    expect(new URL(appDatabaseUrl(owner.replace('s3cret', 'rotated'))).password).not.toBe(app.password)
  })

  it('has no password where the owner has none (trust, peer or certificate sign-in)', () => {
    expect(appDatabaseUrl('postgresql://postgres@127.0.0.1:5432/ggml')).toBe(
      `postgresql://${APP_ROLE}@127.0.0.1:5432/ggml`,
    )
  })

  it('is APP_DATABASE_URL when one is set', () => {
    process.env.APP_DATABASE_URL = 'postgresql://platform_app:pw@db.internal/platform'
    expect(appDatabaseUrl('postgresql://owner:s3cret@db.internal/platform')).toBe(process.env.APP_DATABASE_URL)
  })
})

describe('scramVerifier', () => {
  it('stores what PostgreSQL 15 stored for the same password and salt', () => {
    // From `CREATE ROLE … PASSWORD 'correct horse battery staple'` with password_encryption = scram-sha-256.
    const stored =
      'SCRAM-SHA-256$4096:ses/aliebxzdDdJ7Nzy0IA==$+zYeWmqGhHcQVEqaPsd2uqc22MkNw9k5fK/n3/ZB3tc=:' +
      'fUQ8IhKLecLBxI21KMDAdUyNoGmLZOOUCy8t6NVsbfQ='
    const salt = Buffer.from('ses/aliebxzdDdJ7Nzy0IA==', 'base64')
    expect(scramVerifier('correct horse battery staple', salt)).toBe(stored)
    expect(scramVerifier('correct horse battery staple')).not.toBe(stored) // a fresh salt each time
  })
})
