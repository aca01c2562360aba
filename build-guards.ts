import path from 'node:path'
import type { Plugin } from 'vite'

/**
 * services/ is the server-side domain (database, secrets, jobs). If any module from it would be
 * bundled for the browser, the build fails. Route loaders and actions may import it: React Router
 * strips them, and their imports, from the client bundle before this check runs.
 */
export function servicesStayOnServer(root = process.cwd()): Plugin {
  const servicesDir = path.resolve(root, 'services') + path.sep
  return {
    name: 'ggml:services-stay-on-server',
    load(id, options) {
      const file = id.split('?')[0] ?? id
      const envName = (this as { environment?: { name?: string } }).environment?.name
      const isClient = envName ? envName === 'client' : !options?.ssr
      if (isClient && file.startsWith(servicesDir)) {
        this.error(
          `services/ must never reach the browser bundle, but ${path.relative(root, file)} was imported by ` +
            `client code. ` +
            'Call it from a loader or action (or a *.server.ts file) and pass plain data to the component.',
        )
      }
      return null
    },
  }
}
