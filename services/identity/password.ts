import { hash, verify } from '@node-rs/argon2'
import { z } from 'zod'

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
// algorithm 2 is Algorithm.Argon2id (a const enum, which isolated modules cannot import).
const options = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export const passwordSchema = z.string().min(12, 'Use at least 12 characters.').max(256, 'Use at most 256 characters.')

export const hashPassword = (password: string): Promise<string> => hash(password, options)

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  // Hash anyway when the user has no password, so timing does not reveal which emails exist.
  if (!passwordHash) {
    await hash(password, options)
    return false
  }
  return verify(passwordHash, password)
}
