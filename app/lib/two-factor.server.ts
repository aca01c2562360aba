import { createCookie } from 'react-router'
import { secureCookies } from './session.server.ts'

/** The second-factor challenge between the password and the session: httpOnly, ten minutes. */
export const challengeCookie = () =>
  createCookie('__2fa', { httpOnly: true, sameSite: 'lax', path: '/login', secure: secureCookies(), maxAge: 600 })

/** The recovery codes just made, sealed, for the one page that shows them; five minutes. */
export const recoveryCodesCookie = () =>
  createCookie('__recovery', { httpOnly: true, sameSite: 'lax', path: '/login', secure: secureCookies(), maxAge: 300 })
