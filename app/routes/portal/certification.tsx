import { z } from 'zod'
import { useActionData } from 'react-router'
import { useLiveWhile, useKept } from '#app/components/live-updates.tsx'
import { HiddenFields } from '#app/components/row-actions.tsx'
import type { Route } from './+types/certification'
import { StatusBadge } from '#app/components/contract-view.tsx'
import { type Columns, DataTable } from '#app/components/data-table.tsx'
import {
  Button,
  Card,
  EmptyState,
  Field,
  FileField,
  Notice,
  PageHeader,
  PostForm,
  SelectField,
  type FormErrors,
} from '#app/components/ui.tsx'
import { attempt, formKeyOf, invalid, parseValues, stringFields, uploadedFile } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { badgeLabel } from '#services/certification/badges.ts'
import { withdrawCertRequest } from '#services/certification/withdraw-cert-request.ts'
import { queueCertJob } from '#services/certification/queue-cert-job.ts'
import { requestCertification } from '#services/certification/request-certification.ts'
import type { CertificationRequestInput } from '#services/certification/request-certification.ts'
import { certificationOverview } from '#services/certification/certification-overview.ts'
import { hasActiveRunner } from '#services/certification/partner-runners.ts'
import { createRunnerToken } from '#services/certification/create-runner-token.ts'
import { revokeRunner } from '#services/certification/revoke-runner.ts'
import { appUrl } from '#services/platform/config/env.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Certification · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'certification.view')
  const overview = await certificationOverview(scope)
  return {
    ...overview,
    requests: overview.requests.map((r) => ({
      ...r,
      badges: r.badges.map((b) => ({ ...b, label: badgeLabel(b.summary) })),
    })),
    server: appUrl(),
    canRevokeRunners: scope.granted.has('runners.revoke'),
    canMakeLabTokens: scope.granted.has('runner_tokens.create_lab'),
  }
}

// Every text field any of the page's forms sends; each use case validates what it takes in detail.
const text = (max: number) => z.string().max(max).optional()
const fields = z.object({
  intent: z.enum(['token', 'lab-token', 'withdraw', 'queue', 'revoke-runner', 'request']).default('request'),
  requestId: text(64),
  runnerId: text(64),
  reason: text(2000),
  productName: text(200),
  sku: text(100),
  modelShape: text(20),
  modelType: text(10),
  ownModelName: text(200),
  ownModelSha256: text(64),
})

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'certification.view')
  const form = await request.formData()
  const parsed = parseValues(stringFields(form), fields)
  if (!parsed.ok) return invalid(parsed.errors)
  const f = parsed.data
  // Each form has its formKey, so an error shows on the form (the request's card) it is about.
  return attempt(
    async () => {
      if (f.intent === 'token') return { token: await createRunnerToken(scope) }
      if (f.intent === 'lab-token') return { token: await createRunnerToken(scope, { lab: true }) }
      if (f.intent === 'revoke-runner') {
        const r = await revokeRunner(scope, { runnerId: f.runnerId ?? '' })
        return {
          done:
            `${r.name} is revoked: its key is refused from now on` +
            (r.jobsRequeued ? `; ${r.jobsRequeued} job(s) it held went back to the queue.` : '.'),
        }
      }
      if (f.intent === 'withdraw') {
        const w = await withdrawCertRequest(scope, f.requestId ?? '', { reason: f.reason ?? '' })
        return {
          done:
            `Withdrawn: ${w.jobsStopped} job(s) stopped, ${w.badgesRevoked} badge(s) revoked, ` +
            `${w.resultsLogged} result(s) logged publicly as withdrawn.`,
        }
      }
      if (f.intent === 'queue') {
        await queueCertJob(scope, f.requestId ?? '', { runnerId: f.runnerId })
        return (await hasActiveRunner(scope))
          ? { done: 'Another run queued: the chosen runner picks it up on its next poll.' }
          : { done: 'Another run queued.', needsRunner: true }
      }
      await requestCertification(
        scope,
        {
          productName: f.productName ?? '',
          sku: f.sku ?? '',
          modelShape: (f.modelShape || '1b') as CertificationRequestInput['modelShape'],
          modelType: (f.modelType || 'Q4_0') as CertificationRequestInput['modelType'],
          ownModelName: f.ownModelName,
          ownModelSha256: f.ownModelSha256,
          ownModelHeader: (await uploadedFile(form, 'ownModelHeader'))?.bytes,
          runnerId: f.runnerId,
        },
        { photo: await uploadedFile(form, 'photo'), spec_sheet: await uploadedFile(form, 'specSheet') },
      )
      // Without a runner nothing polls (Kestrel had none and was told to wait for one; issue 29).
      return (await hasActiveRunner(scope))
        ? { done: 'Certification requested: your runner picks the job up on its next poll.' }
        : { done: 'Certification requested.', needsRunner: true }
    },
    { form: formKeyOf(form) },
  )
}

type Job = Route.ComponentProps['loaderData']['requests'][number]['jobs'][number]

/** Why a run's result was refused: each failed check, then each thing to do once. */
function ResultLines({ job: j }: { job: Job }) {
  return j.results.map((r) => (
    <div key={r.id}>
      {r.accepted ? (
        'accepted'
      ) : (
        <>
          rejected: {r.failed.map((c) => c.check).join(', ')}
          <ul className="hint">
            {r.failed.map((c, i) => (
              <li key={`${i}-${c.check}`}>
                <strong>{c.check}</strong>: {c.detail}.
              </li>
            ))}
          </ul>
          {/* Checks that fail together often share their advice: say each thing to do once. */}
          <p className="hint">What to do: {[...new Set(r.failed.map((c) => c.advice))].join(' ')}</p>
        </>
      )}
    </div>
  ))
}

const jobColumns: Columns<Job> = [
  { header: 'Job', cell: (j) => <code className="small">{j.id.slice(0, 8)}</code> },
  { header: 'Runner', cell: (j) => j.runner },
  { header: 'Model', cell: (j) => j.model },
  { header: 'Tests', cell: (j) => j.tests },
  {
    header: 'Status',
    cell: (j) => (
      <>
        <StatusBadge status={j.status} />
        {/* A refused result's checks and advice are in its row once; the progress repeats them. */}
        {!(j.status === 'failed' && j.results.some((r) => !r.accepted)) && <div className="hint">{j.progress}</div>}
      </>
    ),
  },
  { header: 'Results', cell: (j) => <ResultLines job={j} /> },
]

type Request = Route.ComponentProps['loaderData']['requests'][number]

/** One certification request: its files, its badges (or why one is held), its runs, and what to do next. */
function RequestCard({
  request: q,
  runnerOptions,
  errors,
}: {
  request: Request
  runnerOptions: { value: string; label: string }[]
  errors?: FormErrors
}) {
  return (
    <Card title={`${q.productName} (${q.sku})${q.withdrawn ? ' · withdrawn' : ''}`}>
      {q.files.length > 0 && (
        <p className="hint">
          {q.files
            .map((f) => `${f.kind === 'photo' ? 'Photo' : 'Spec sheet'}: ${f.name} (SHA-256 ${f.sha256.slice(0, 12)}…)`)
            .join(' · ')}
        </p>
      )}
      {q.withdrawn && (
        <p className="hint">
          Withdrawn {q.withdrawn.at.slice(0, 10)}: {q.withdrawn.reason}
        </p>
      )}
      {q.badges.map((b) =>
        b.held ? (
          <div key={b.id}>
            <p>
              <strong>Held for review</strong> ({b.label}): not public until a ggml certification engineer approves it
              on a run they queue on another unit, or on a run by ggml’s lab.
            </p>
            <ul className="hint">
              {b.flags.map((f, i) => (
                <li key={`${i}-${f.check}`}>
                  <strong>{f.check}</strong>: {f.detail}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p key={b.id}>
            <a href={`/badges/${b.id}`}>
              <img src={`/badges/${b.id}/badge.svg`} alt={`Powered by GGML: ${b.label}`} />
            </a>{' '}
            {b.assurance}
            {b.revoked ? ' · revoked' : ''}
          </p>
        ),
      )}
      <DataTable rows={q.jobs} columns={jobColumns} />
      {!q.withdrawn && (
        <>
          <PostForm errors={errors} formKey={`queue-${q.id}`}>
            <HiddenFields values={{ intent: 'queue', requestId: q.id }} />
            <div className="row">
              <SelectField
                label="Run again on (a second unit reproduces the numbers for review)"
                name="runnerId"
                options={runnerOptions}
              />
            </div>
            <Button type="submit" variant="secondary">
              Queue another run
            </Button>
          </PostForm>
          <PostForm errors={errors} formKey={`withdraw-${q.id}`}>
            <HiddenFields values={{ intent: 'withdraw', requestId: q.id }} />
            <div className="row">
              <Field label="Reason for withdrawing (shown in the public log)" name="reason" />
            </div>
            <Button type="submit" variant="secondary">
              Withdraw this request
            </Button>
          </PostForm>
        </>
      )}
    </Card>
  )
}

export default function Certification({ loaderData: d }: Route.ComponentProps) {
  const result = useKept(useActionData<typeof action>())
  const errors = result && 'errors' in result ? result.errors : undefined
  const runnerOptions = [
    { value: '', label: 'Any of our runners' },
    ...d.runners.filter((r) => !r.revoked).map((r) => ({ value: r.id, label: r.name })),
  ]
  const running = d.requests.some((q) =>
    q.jobs.some((j) => ['preparing', 'queued', 'running', 'verifying'].includes(j.status)),
  )
  useLiveWhile(running)
  return (
    <>
      <PageHeader
        title="Hardware certification"
        subtitle={
          'Run the real llama.cpp on your hardware with our runner; ' +
          'a verified result earns a “Powered by GGML” badge.'
        }
      />
      {running && (
        <p className="hint" role="status">
          A job is queued or running: this page follows its progress live.
        </p>
      )}
      {result && 'done' in result && (
        <Notice>
          {result.done}
          {'needsRunner' in result && result.needsRunner && (
            <>
              {' '}
              The job runs on your own hardware, and you have no runner registered yet: nothing will pick it up until
              you <a href="#runners">register a runner</a> on the machine under test.
            </>
          )}
        </Notice>
      )}
      {result && 'token' in result && (
        <div className="alert alert-info" role="status">
          <p>
            <strong>Register a runner on the machine under test (the token works once, for 24 hours):</strong>
          </p>
          <code className="secret">
            UV_THREADPOOL_SIZE=1 npx tsx certification-lab/runner.ts register --server {d.server} --token {result.token}
          </code>
          <p className="hint">
            Then: <code>UV_THREADPOOL_SIZE=1 npx tsx certification-lab/runner.ts run</code>
          </p>
        </div>
      )}
      <div id="runners" />
      <Card title="Runners">
        {d.runners.length === 0 ? (
          <EmptyState>No runner yet.</EmptyState>
        ) : (
          <ul>
            {d.runners.map((r) => (
              <li key={r.id}>
                {r.name}
                {r.lab ? ' (ggml’s lab runner)' : ''} · {r.cpu} · last seen{' '}
                {r.lastSeenAt?.slice(0, 16).replace('T', ' ') ?? 'never'}
                {r.revoked ? (
                  ' · revoked'
                ) : d.canRevokeRunners ? (
                  <PostForm className="inline-form" errors={errors} formKey={`revoke-${r.id}`}>
                    <input type="hidden" name="intent" value="revoke-runner" />
                    <input type="hidden" name="runnerId" value={r.id} />
                    <Button type="submit" variant="danger">
                      Revoke {r.name}
                    </Button>
                  </PostForm>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        <PostForm errors={errors} formKey="token">
          <input type="hidden" name="intent" value="token" />
          <Button type="submit" variant="secondary">
            Make a registration token
          </Button>
        </PostForm>
        {d.canMakeLabTokens ? (
          // ggml's own runner, for a unit in ggml's lab: its reproduction makes a badge Lab-verified.
          <PostForm errors={errors} formKey="lab-token">
            <input type="hidden" name="intent" value="lab-token" />
            <Button type="submit" variant="secondary">
              Make a lab runner token (ggml’s lab)
            </Button>
          </PostForm>
        ) : null}
      </Card>
      <Card title="Request certification">
        <PostForm encType="multipart/form-data" errors={errors} formKey="request">
          <div className="row">
            <Field label="Product" name="productName" />
            <Field label="SKU" name="sku" />
            <SelectField
              label="Model"
              name="modelShape"
              options={[
                { value: '1b', label: '1B-class (standard suite)' },
                { value: '7b', label: '7B-class (standard suite)' },
                { value: 'partner', label: 'Our own GGUF (below)' },
                { value: 'tiny', label: 'CI-class: pipeline check, no badge' },
                { value: 'small', label: 'Small (121 MB): pipeline check, no badge' },
              ]}
            />
            <SelectField
              label="Weights"
              name="modelType"
              options={['Q4_0', 'Q8_0', 'F16'].map((t) => ({ value: t, label: t }))}
            />
            <SelectField label="Runner" name="runnerId" options={runnerOptions} />
          </div>
          <div className="row">
            <Field label="Own model: name on the badge" name="ownModelName" />
            <Field label="Own model: SHA-256 of the GGUF file" name="ownModelSha256" />
            <FileField label="Own model: the GGUF file’s header" name="ownModelHeader" />
          </div>
          <div className="row">
            <FileField
              label="Product photo (PNG, JPEG or WebP, optional)"
              name="photo"
              accept="image/png,image/jpeg,image/webp"
            />
            <FileField label="Spec sheet (PDF, optional)" name="specSheet" accept="application/pdf" />
          </div>
          <p className="hint">
            With your own GGUF, attach its first bytes (<code>head -c 64M model.gguf &gt; header.gguf</code>): the
            platform reads the tensor table from it and bounds what your hardware can do with it. Then start the runner
            with <code>--model path/to/model.gguf</code>: only a runner holding a file with that SHA-256 and that header
            takes the job, and the badge names the model as partner-declared.
          </p>
          <Button type="submit">Queue the benchmark</Button>
        </PostForm>
      </Card>
      {d.requests.map((q) => (
        <RequestCard key={q.id} request={q} runnerOptions={runnerOptions} errors={errors} />
      ))}
    </>
  )
}
