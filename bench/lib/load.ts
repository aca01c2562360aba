import http from 'node:http'

export interface Target {
  path: string
  /** The Cookie header of the person asking (empty for a signed-out visitor). */
  cookie: string
}

export interface LoadResult {
  requests: number
  /** Answers other than 200 (a redirect to /login means the session was lost: the page was not measured). */
  failures: number
  firstFailure?: string
  seconds: number
  p50Ms: number
  p99Ms: number
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN

/**
 * A small closed-loop load generator (autocannon's model): `clients` connections kept alive, each
 * sending its next request when the last answer has been read in full, for `seconds`. Targets are
 * taken in turn, so a mix of pages and people shares one run.
 */
export async function load(
  base: string,
  targets: Target[],
  opts: { clients: number; seconds: number; onTick?: (done: number) => void },
): Promise<LoadResult> {
  const url = new URL(base)
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.clients })
  const latencies: number[] = []
  let failures = 0
  let firstFailure: string | undefined
  let next = 0
  const started = performance.now()
  const deadline = started + opts.seconds * 1000
  const once = (t: Target) =>
    new Promise<void>((resolve) => {
      const sent = performance.now()
      const req = http.get(
        { host: url.hostname, port: url.port, path: t.path, agent, headers: t.cookie ? { cookie: t.cookie } : {} },
        (res) => {
          res.on('data', () => {})
          res.on('end', () => {
            latencies.push(performance.now() - sent)
            if (res.statusCode !== 200) {
              failures++
              firstFailure ??= `${t.path}: ${res.statusCode} ${res.headers.location ?? ''}`
            }
            resolve()
          })
        },
      )
      req.on('error', (e) => {
        failures++
        firstFailure ??= `${t.path}: ${e.message}`
        resolve()
      })
    })
  await Promise.all(
    Array.from({ length: opts.clients }, async () => {
      while (performance.now() < deadline) await once(targets[next++ % targets.length]!)
    }),
  )
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  return {
    requests: latencies.length,
    failures,
    firstFailure,
    seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  }
}
