import { spawn, spawnSync } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { Redis } from 'ioredis'
import { dataDir, env } from '../config/env.ts'
import { logger } from '../observability/logger.ts'

const LOCAL_URL = 'redis://127.0.0.1:6379'
const HOW_TO_GET_REDIS =
  'Redis is required: install it (Debian/Ubuntu: `apt-get install redis-server`, macOS: `brew install redis`) ' +
  'or set REDIS_URL to a running Redis.'

// REDIS_URL wins; else a Redis on localhost; else redis-server from PATH with data in .data/redis;
// else install it where we can (Debian/Ubuntu as root); else stop with one sentence saying how.
export async function ensureRedis(): Promise<string> {
  const configured = env().REDIS_URL
  if (configured) {
    process.env.REDIS_URL = configured
    return configured
  }
  if (await answersPing(LOCAL_URL)) return (process.env.REDIS_URL = LOCAL_URL)
  if (!onPath('redis-server')) installRedisIfPossible()
  if (!onPath('redis-server')) throw new Error(HOW_TO_GET_REDIS)
  const dir = dataDir('redis')
  await mkdir(dir, { recursive: true })
  logger().info({ dir }, 'starting redis-server')
  const child = spawn('redis-server', ['--port', '6379', '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes'], {
    stdio: 'ignore',
    detached: false,
  })
  process.once('exit', () => child.kill())
  for (let i = 0; i < 50; i++) {
    if (await answersPing(LOCAL_URL)) return (process.env.REDIS_URL = LOCAL_URL)
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`redis-server started but did not answer on ${LOCAL_URL}. ${HOW_TO_GET_REDIS}`)
}

async function answersPing(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  })
  client.on('error', () => {})
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}

function onPath(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0
}

function installRedisIfPossible(): void {
  if (userInfo().uid !== 0 || !onPath('apt-get')) return
  logger().warn('redis-server not found; installing it with apt-get')
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' })
  if (update.status !== 0) return
  spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
}
