import { createContext } from 'react-router'
import type { Actor } from '#services/identity/actor.ts'

/** Set by the root middleware for every request: the signed-in actor (or null) and the CSRF token. */
export const actorContext = createContext<Actor | null>(null)
export const csrfContext = createContext<string>('')
