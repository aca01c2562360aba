import { env } from '../platform/config/env.ts'
import { shared } from '../platform/singleton.ts'

const local = shared<string | undefined>('local-cloud-token', undefined)

/** The demo, without CLOUD_SERVICE_TOKEN, makes one for its GGML Cloud simulator. */
export function registerLocalCloudToken(token: string): void {
  local.value = token
}

/** GGML Cloud's service token: configured, or the demo's; none means usage reports are refused. */
export const cloudServiceToken = (): string | undefined => env().CLOUD_SERVICE_TOKEN ?? local.value
