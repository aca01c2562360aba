import { Transform } from 'node:stream'
import { createReadableStreamFromReadable, writeReadableStreamToWritable } from '@react-router/node'
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import { createRequestHandler as createRouterHandler, type ServerBuild } from 'react-router'
import { env } from '../services/platform/config/env.ts'
import { bodyTooSlow, bodyTooSlowMessage, type BodyPace } from './body-pace.ts'

/**
 * React Router behind Express, like @react-router/express, except that the request body is counted
 * while it streams: a body longer than its limit is cut off with 413 as soon as it passes the limit,
 * whatever its Content-Length said (a chunked body declares none); and one that arrives too slowly
 * (server/body-pace.ts) is cut off with 408.
 */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${Math.round(limit / 1_000_000)} MB.`)
    this.name = 'BodyTooLarge'
  }
}

/** The body arrived too slowly (answered 408 already): whoever reads it stops and releases what it holds. */
export class BodyTooSlow extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BodyTooSlow'
  }
}

/** The client closed the connection before its request body was complete. */
export class ClientGone extends Error {
  constructor() {
    super('The client closed the connection before the request body was complete.')
    this.name = 'ClientGone'
  }
}

export interface BodyLimit {
  bytes: number
  /** What to tell a person whose upload was refused. */
  message: string
  /** Refused as the API answers errors (JSON), for machines. */
  json?: boolean
}

export function createRequestHandler(opts: {
  build: ServerBuild
  bodyLimit: (req: ExpressRequest) => Promise<BodyLimit>
}) {
  const handle = createRouterHandler(opts.build, process.env.NODE_ENV)
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
      const limit = hasBody ? await opts.bodyLimit(req) : undefined
      if (limit && Number(req.get('content-length') ?? 0) > limit.bytes) return tooLarge(req, res, limit)
      const { request, counter } = toFetchRequest(req, res, limit)
      const response = await handle(request)
      if (counter) dropUnreadBody(req, res, counter)
      await send(res, response)
    } catch (error) {
      // A body cut off at its limit has been answered with 413 already.
      if (!res.headersSent) next(error)
    }
  }
}

/** How long a refused upload's connection may linger after its answer, dropping what still arrives. */
const LINGER_MS = 1000

const tooLarge = (req: ExpressRequest, res: ExpressResponse, limit: BodyLimit) =>
  refuse(req, res, 413, 'payload_too_large', limit.message, limit.json)

function refuse(
  req: ExpressRequest,
  res: ExpressResponse,
  status: number,
  code: string,
  message: string,
  json = false,
) {
  if (res.headersSent) return res.destroy()
  // Stop reading the rest of the upload soon after the answer is out. Not at once: a socket destroyed with the
  // client's bytes still arriving sends a reset, which can overtake the answer (the client then sees
  // ECONNRESET instead of this status, as the fault suite's chunked upload once did). For a moment Node closes
  // it gently (its answer, then FIN, dropping what arrives); then it goes, however much is still coming.
  res.on('finish', () => setTimeout(() => req.socket.destroy(), LINGER_MS).unref())
  res.status(status).set('Connection', 'close')
  if (json) res.json({ error: { code, message } })
  else res.type('text/plain').send(message)
}

/** The deadline and floor of BODY_IDLE_SECONDS and friends, read per request (tests shorten them). */
function bodyPace(): BodyPace {
  const e = env()
  return {
    idleMs: e.BODY_IDLE_SECONDS * 1000,
    minBytesPerSecond: e.BODY_MIN_BYTES_PER_SECOND,
    graceMs: e.BODY_RATE_GRACE_SECONDS * 1000,
  }
}

/**
 * Watches a body as it arrives and cuts it off with 408 when it is too slow. Only time the server waits on
 * the client counts: while the reader is busy the pipe pauses the request, and the client cannot send.
 */
function watchPace(req: ExpressRequest, res: ExpressResponse, counter: Transform, limit: BodyLimit) {
  const pace = bodyPace()
  const progress = { bytes: 0, waitedMs: 0, idleMs: 0 }
  let last = performance.now()
  // The last byte, or the last moment the server was not reading: the client is idle since then.
  let lastByte = last
  const onData = (chunk: Buffer) => {
    progress.bytes += chunk.length
    lastByte = performance.now()
  }
  const timer = setInterval(
    () => {
      const t = performance.now()
      const elapsed = t - last
      last = t
      if (req.isPaused()) {
        lastByte = t
        return
      }
      progress.waitedMs += elapsed
      progress.idleMs = t - lastByte
      const why = bodyTooSlow(progress, pace)
      if (!why) return
      stop()
      const message = bodyTooSlowMessage(why, progress, pace)
      refuse(req, res, 408, 'request_timeout', message, limit.json)
      req.unpipe(counter)
      // The reader (a COPY into PostgreSQL) hears the error, releases its connection and stores nothing.
      if (!counter.destroyed) counter.destroy(new BodyTooSlow(message))
    },
    Math.min(1000, pace.idleMs / 4),
  )
  timer.unref()
  const stop = () => {
    clearInterval(timer)
    req.off('data', onData)
  }
  req.on('data', onData)
  req.once('end', stop)
  req.once('close', stop)
  counter.once('close', stop)
}

/** What a route may leave unread of a body while the connection stays open for the client's next request. */
const DRAIN_BYTES = 1_000_000

/**
 * A route that answered before reading the whole body (a refused token reads nothing): the connection
 * would wait on bytes nobody reads, and the client's next request on it would fail. A small remainder is
 * read and dropped, so the connection serves the next request; a larger or unknown one closes it.
 */
function dropUnreadBody(req: ExpressRequest, res: ExpressResponse, counter: Transform & { bytesSeen: number }) {
  if (req.complete || res.headersSent) return
  req.unpipe(counter)
  const remaining = Number(req.get('content-length') ?? NaN) - counter.bytesSeen
  if (!(remaining <= DRAIN_BYTES)) {
    res.setHeader('Connection', 'close')
    return
  }
  req.on('data', () => {})
  req.resume()
}

function toFetchRequest(
  req: ExpressRequest,
  res: ExpressResponse,
  limit: BodyLimit | undefined,
): { request: Request; counter?: Transform & { bytesSeen: number } } {
  const url = new URL(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`)
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v)
    else if (value !== undefined) headers.set(key, value)
  }
  let controller: AbortController | null = new AbortController()
  res.on('finish', () => (controller = null))
  res.on('close', () => controller?.abort())
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers, signal: controller.signal }
  if (!limit) return { request: new Request(url.href, init) }
  const counter = Object.assign(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        counter.bytesSeen += chunk.length
        if (counter.bytesSeen > limit.bytes) {
          tooLarge(req, res, limit)
          req.unpipe(counter)
          return done(new BodyTooLarge(limit.bytes))
        }
        done(null, chunk)
      },
    }),
    { bytesSeen: 0 },
  )
  // A client that goes away mid-upload ends the body with an error, so whoever reads it stops
  // waiting and releases what it holds (a pooled connection in a COPY); a pipe alone would leave
  // the stream open for ever.
  req.once('close', () => {
    if (!req.complete && !counter.destroyed) counter.destroy(new ClientGone())
  })
  watchPace(req, res, counter, limit)
  init.body = createReadableStreamFromReadable(req.pipe(counter))
  init.duplex = 'half'
  return { request: new Request(url.href, init), counter }
}

async function send(res: ExpressResponse, response: Response) {
  if (res.destroyed || res.writableEnded || res.headersSent) {
    await response.body?.cancel()
    return
  }
  res.statusMessage = response.statusText
  res.status(response.status)
  // Our headers replace the server's defaults; only Set-Cookie may repeat.
  for (const [key, value] of response.headers.entries()) {
    if (key === 'set-cookie') res.append(key, value)
    else res.setHeader(key, value)
  }
  if (!response.body) return res.end()
  // An API's JSON is built in memory (Response.json): sent whole with its length, the compressor leaves a
  // small answer as it is instead of compressing 300 bytes (issue 31: 4% of the credit usage path's CPU).
  const json = /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(response.headers.get('content-type') ?? '')
  try {
    if (json && !response.headers.has('content-length')) {
      const body = Buffer.from(await response.arrayBuffer())
      res.setHeader('Content-Length', body.length)
      return res.end(body)
    }
    await writeReadableStreamToWritable(response.body, res)
  } catch (error) {
    if (!res.destroyed && !res.writableEnded) throw error
  }
}
