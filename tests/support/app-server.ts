import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from 'react-router'
import { createApp } from '../../server/app.ts'
import { reloadEnv } from '../../services/platform/config/env.ts'

/** The production build served by the real Express app on a free port, in this test process. */
export async function startAppServer(): Promise<{ url: string; build: ServerBuild; close: () => Promise<void> }> {
  const build = (await import(pathToFileURL(path.resolve('build/server/index.js')).href)) as ServerBuild
  const app = await createApp({ build })
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  process.env.APP_URL = url
  reloadEnv()
  return { url, build, close: () => new Promise((resolve) => server.close(() => resolve())) }
}
