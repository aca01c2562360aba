import { Button, Field, PostForm, type FormErrors } from '#app/components/ui.tsx'
import type { MemberSecondFactor } from '#services/organizations/list-second-factor-resets.ts'

/**
 * A team member's second-factor reset: opened, given a reason and confirmed, never one click; or, for
 * a request waiting for a second ggml admin, who asked and why, with "Approve reset" for another admin.
 */
export function SecondFactorResetActions({
  member,
  secondFactor: { action, openRequest },
  errors,
}: {
  member: { userId: string; name: string }
  secondFactor: MemberSecondFactor
  errors?: FormErrors
}) {
  if (openRequest)
    return (
      <details>
        <summary>{openRequest.canApprove ? 'Approve reset' : 'Reset requested'}</summary>
        <p className="hint">
          {openRequest.requestedBy} asked to reset {member.name}’s second factor: {openRequest.reason}
        </p>
        {openRequest.canApprove ? (
          <PostForm errors={errors} formKey={`approve-reset-${member.userId}`}>
            <input type="hidden" name="intent" value="approve-second-factor-reset" />
            <input type="hidden" name="requestId" value={openRequest.id} />
            <Button variant="danger" type="submit" aria-label={`Approve the reset of ${member.name}’s second factor`}>
              Approve reset
            </Button>
          </PostForm>
        ) : (
          <p className="hint">A second ggml admin approves it; then it is reset.</p>
        )}
      </details>
    )
  if (!action) return null
  const whose = `${member.name}’s`
  return (
    <details>
      <summary>{action === 'reset' ? 'Reset second factor' : 'Request reset'}</summary>
      <PostForm errors={errors} formKey={`reset-${member.userId}`}>
        <input type="hidden" name="intent" value="reset-second-factor" />
        <input type="hidden" name="userId" value={member.userId} />
        <p className="hint">
          {action === 'reset'
            ? `${member.name}’s authenticator and recovery codes stop working and they are signed out everywhere; ` +
              'where a second factor is required, they set up a new one at their next sign-in.'
            : `A second ggml admin must approve this before ${member.name}’s second factor is reset.`}
        </p>
        <Field label="Reason" name="reason" required />
        <Button
          variant="danger"
          type="submit"
          aria-label={`${action === 'reset' ? 'Confirm the reset' : 'Ask for a reset'} of ${whose} second factor`}
        >
          {action === 'reset' ? 'Confirm reset' : 'Send request'}
        </Button>
      </PostForm>
    </details>
  )
}
