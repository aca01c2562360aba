import { Transform } from 'node:stream'
import { createReadableStreamFromReadable, writeReadableStreamToWritable } from '@react-router/node'
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import { createRequestHandler as createRouterHandler, type ServerBuild } from 'react-router'

/**
 * React Router behind Express, like @react-router/express, except that the request body is counted
 * while it streams: a body longer than its limit is cut off with 413 as soon as it passes the limit,
 * whatever its Content-Length said (a chunked body declares none).
 */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${Math.round(limit / 1_000_000)} MB.`)
    this.name = 'BodyTooLarge'
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
      if (limit && Number(req.get('content-length') ?? 0) > limit.bytes) return refuse(req, res, limit)
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

function refuse(req: ExpressRequest, res: ExpressResponse, limit: BodyLimit) {
  if (res.headersSent) return res.destroy()
  // Stop reading the rest of the upload once the answer is out.
  res.on('finish', () => req.socket.destroy())
  res.status(413).set('Connection', 'close')
  if (limit.json) res.json({ error: { code: 'payload_too_large', message: limit.message } })
  else res.type('text/plain').send(limit.message)
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
          refuse(req, res, limit)
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
  try {
    await writeReadableStreamToWritable(response.body, res)
  } catch (error) {
    if (!res.destroyed && !res.writableEnded) throw error
  }
}
