import { z } from 'zod'
import type { Route } from './+types/runner'
import { apiAttempt, apiError, readJsonBody } from '#app/lib/api.server.ts'
import { heldModelsSchema } from '#services/certification/job-specification.ts'
import { uploadResult } from '#services/certification/upload-result.ts'
import { heartbeat } from '#services/certification/record-heartbeat.ts'
import { claimJob } from '#services/certification/claim-job.ts'
import { runnerScope } from '#services/certification/runner-scope.ts'
import { registerRunner } from '#services/certification/register-runner.ts'
import { nowMs } from '#services/platform/clock.ts'
import { issueChallenge } from '#services/certification/issue-challenge.ts'
import { startChallenge } from '#services/certification/start-challenge.ts'
import { answerChallenge } from '#services/certification/answer-challenge.ts'

// The runner protocol (certification-lab/runner.ts): register with a one-time token, then claim
// jobs (long-poll), renew the lease while measuring, upload the signed result.
export async function action({ request, params }: Route.ActionArgs) {
  return apiAttempt(async () => {
    const [op, jobId, sub, challengeId, step] = (params['*'] ?? '').split('/')
    // Who is calling is settled before a byte of the body is read: an unknown bearer reads nothing.
    const runner = op === 'register' ? null : (await runnerScope(request.headers.get('Authorization'))).runner
    const raw = await readJsonBody(request)
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return apiError(400, 'invalid_input', 'Send a JSON object.')
    const body = raw as Record<string, unknown>
    if (!runner) return Response.json(await registerRunner(body as never), { status: 201 })
    if (op === 'claim') {
      // The SHA-256 of each partner model file the runner was started with (runner run --model).
      const held = heldModelsSchema.safeParse(body.models === undefined ? [] : body.models)
      if (!held.success)
        return apiError(
          422,
          'invalid_input',
          'models must be a list of SHA-256 digests (64 lowercase hex digits), one per GGUF file the runner holds.',
        )
      const wait = z.number().min(0).max(3600).optional().safeParse(body.waitSeconds)
      if (!wait.success)
        return apiError(400, 'invalid_input', 'waitSeconds must be a number of seconds (the server waits at most 25).')
      const deadline = nowMs() + Math.min(wait.data ?? 0, 25) * 1000
      for (;;) {
        const job = await claimJob(runner, held.data)
        if (job) return Response.json({ job })
        if (nowMs() >= deadline || request.signal.aborted) return new Response(null, { status: 204 })
        await new Promise((r) => setTimeout(r, 500))
      }
    }
    if (op === 'jobs' && jobId && sub === 'heartbeat') {
      // Shown to the partner as it is: an object or a number is a runner bug, not a progress line.
      if (body.progress !== undefined && typeof body.progress !== 'string')
        return apiError(422, 'invalid_input', 'progress must be a short line of text, such as "measuring".')
      return Response.json(await heartbeat(runner, jobId, body.progress ?? ''))
    }
    // The timed challenge (decision 019): ask (with the speeds to claim), start (the nonce), answer.
    if (op === 'jobs' && jobId && sub === 'challenge' && !challengeId)
      return Response.json(await issueChallenge(runner, jobId, body), { status: 201 })
    if (op === 'jobs' && jobId && sub === 'challenge' && challengeId && step === 'start')
      return Response.json(await startChallenge(runner, jobId, challengeId))
    if (op === 'jobs' && jobId && sub === 'challenge' && challengeId && step === 'answer')
      return Response.json(await answerChallenge(runner, jobId, challengeId, body))
    if (op === 'jobs' && jobId && sub === 'result')
      return Response.json(
        await uploadResult(runner, jobId, { result: body.result, signature: String(body.signature ?? '') }),
      )
    return apiError(404, 'not_found', 'No such runner endpoint.')
  })
}

export function loader() {
  return apiError(405, 'method_not_allowed', 'The runner API takes POST requests.')
}
