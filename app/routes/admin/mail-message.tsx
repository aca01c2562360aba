import type { Route } from './+types/mail-message'
import { Card, PageHeader } from '#app/components/ui.tsx'
import { requireStaff } from '#app/lib/session.server.ts'
import { findMail } from '#services/platform/email/list-mail.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Mail · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  requireStaff(context, request, 'mail.read')
  const m = await findMail(params.messageId)
  if (!m) throw new Response('No such message.', { status: 404 })
  return { to: m.to, subject: m.subject, text: m.text, createdAt: m.createdAt.toISOString(), transport: m.transport }
}

export default function MailMessage({ loaderData: m }: Route.ComponentProps) {
  return (
    <>
      <PageHeader title={m.subject} subtitle={`To ${m.to} · ${m.createdAt} · ${m.transport}`} />
      <Card>
        <pre className="mail-body">{linkify(m.text)}</pre>
      </Card>
    </>
  )
}

// Links in mail are the point of reading it here (reset and invitation links), so make them clickable.
function linkify(text: string) {
  return text.split(/(https?:\/\/\S+)/g).map((part, i) =>
    /^https?:\/\//.test(part) ? (
      <a key={i} href={part}>
        {part}
      </a>
    ) : (
      part
    ),
  )
}
