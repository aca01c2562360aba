import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'
import pg from 'pg'
import { errorCode } from '../errors/error-code.ts'

// Least privilege in the database (issue 24, docs/decisions/020): migrations run as the owner
// (DATABASE_URL); the application's queries run as a role that owns nothing, is no superuser and so
// cannot disable a trigger, alter or drop a table, truncate, or set session_replication_role.
export const APP_ROLE = 'ggml_app'

/**
 * The connection the application's queries use: APP_DATABASE_URL when set; otherwise the owner's URL
 * with the user ggml_app and a password derived from the owner's by HMAC, so one secret configures
 * both and the app's password reveals nothing of the owner's. No owner password (trust, peer or
 * certificate authentication): no app password either.
 */
export function appDatabaseUrl(ownerUrl = process.env.DATABASE_URL): string {
  const explicit = process.env.APP_DATABASE_URL
  if (explicit) return explicit
  if (!ownerUrl) throw new Error('DATABASE_URL is not set: call ensureDatabase() at boot')
  const url = new URL(ownerUrl)
  const ownerPassword = decodeURIComponent(url.password)
  url.username = APP_ROLE
  url.password = ownerPassword ? createHmac('sha256', ownerPassword).update(APP_ROLE).digest('base64url') : ''
  return url.toString()
}

/**
 * What PostgreSQL stores for a SCRAM-SHA-256 password (RFC 5802, as `CREATE ROLE … PASSWORD` computes
 * it): sent in place of the password, so the password never appears in a statement or a server log.
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256')
  const clientKey = createHmac('sha256', salted).update('Client Key').digest()
  const storedKey = createHash('sha256').update(clientKey).digest()
  const serverKey = createHmac('sha256', salted).update('Server Key').digest()
  const b64 = (b: Buffer) => b.toString('base64')
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`
}

const code = errorCode

/**
 * Run by the migrator, as the owner, after the migrations: the app role exists (once per cluster) and
 * can sign in, and in this database it may read and write rows and use sequences, nothing more (no
 * TRUNCATE, which skips row triggers; no TRIGGER or REFERENCES; of the migrations table only which
 * migrations finished, so a process without the owner's URL can tell it is not behind). Tables a
 * later migration creates are covered by default privileges, and again by this on the next run.
 */
export async function provisionAppRole(owner: pg.Client, ownerUrl: string): Promise<void> {
  const app = new URL(appDatabaseUrl(ownerUrl))
  const role = decodeURIComponent(app.username)
  const password = decodeURIComponent(app.password) || undefined
  const r = pg.escapeIdentifier(role)
  const { rows: me } = await owner.query<{ owner: string; database: string }>(
    'SELECT current_user AS owner, current_database() AS database',
  )
  if (role === me[0]!.owner)
    throw new Error(
      `APP_DATABASE_URL signs in as ${role}, the owner the migrations run as: give the app a role of its own.`,
    )

  const { rows } = await owner.query<{ login: boolean; too_much: boolean }>(
    `SELECT rolcanlogin AS login, rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls AS too_much
       FROM pg_roles WHERE rolname = $1`,
    [role],
  )
  if (!rows.length) {
    const secret = password ? ` PASSWORD ${pg.escapeLiteral(scramVerifier(password))}` : ''
    await owner
      .query(`CREATE ROLE ${r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS${secret}`)
      .catch((e: unknown) => {
        // Roles are cluster-wide: another database's migrator (a parallel test run) may have made it.
        if (code(e) === '42710' || code(e) === '23505') return
        if (code(e) === '42501')
          throw new Error(
            `The migrations' role cannot create the app role ${role}: create it once as a superuser ` +
              `(CREATE ROLE ${role} LOGIN PASSWORD '…') and set APP_DATABASE_URL, or grant CREATEROLE.`,
            { cause: e },
          )
        throw e
      })
  } else if (rows[0]!.too_much) {
    throw new Error(
      `The app role ${role} may create roles or databases, replicate, bypass row security or is a superuser: ` +
        `it must be an ordinary role (ALTER ROLE ${role} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION ` +
        `NOBYPASSRLS).`,
    )
  } else if (!rows[0]!.login) {
    await owner.query(`ALTER ROLE ${r} LOGIN`)
  }

  await owner.query(`
    BEGIN;
    GRANT CONNECT ON DATABASE ${pg.escapeIdentifier(me[0]!.database)} TO ${r};
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    GRANT USAGE ON SCHEMA public TO ${r};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r};
    REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${r};
    REVOKE ALL ON "_prisma_migrations" FROM ${r};
    GRANT SELECT (migration_name, finished_at) ON "_prisma_migrations" TO ${r};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${r};
    COMMIT;`)

  // The role existed: its password may be another's (a rotated owner password). Set it only when
  // signing in fails, since two migrators altering one role at once collide.
  if (rows.length && password) {
    const probe = new URL(ownerUrl)
    probe.username = app.username
    probe.password = app.password
    let failure: unknown
    for (let attempt = 1; ; attempt++) {
      if (await canSignIn(probe.toString())) return
      if (attempt > 3) throw new Error(`The app role ${role} cannot sign in with its password.`, { cause: failure })
      // "tuple concurrently updated" when another migrator sets it at the same moment: ask again.
      await owner
        .query(`ALTER ROLE ${r} PASSWORD ${pg.escapeLiteral(scramVerifier(password))}`)
        .catch((e: unknown) => (failure = e))
    }
  }
}

async function canSignIn(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url })
  try {
    await client.connect()
    return true
  } catch (e) {
    if (code(e) === '28P01') return false
    throw e
  } finally {
    await client.end().catch(() => {})
  }
}

/**
 * Boot refuses an app connection that could switch the database's guards off: a superuser, or a
 * role that owns (or may act as the owner of) a table. Catches an APP_DATABASE_URL set to the owner.
 */
export async function assertLeastPrivilege(appUrl = appDatabaseUrl()): Promise<void> {
  const client = new pg.Client({ connectionString: appUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ role: string; superuser: boolean; owned: number }>(`
      SELECT current_user AS role, r.rolsuper AS superuser,
             (SELECT count(*)::int FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
                 AND pg_has_role(current_user, c.relowner, 'MEMBER')) AS owned
        FROM pg_roles r WHERE r.rolname = current_user`)
    const { role, superuser, owned } = rows[0]!
    if (superuser || owned > 0) {
      const what = superuser ? 'is a superuser' : `owns ${owned} of its tables, indexes or sequences`
      throw new Error(
        `The application connects as ${role}, which ${what}: ` +
          `it could switch off the database's guards. Connect it as a role that owns nothing ` +
          `(unset APP_DATABASE_URL to use ${APP_ROLE}).`,
      )
    }
  } finally {
    await client.end()
  }
}
