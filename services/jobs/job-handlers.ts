import { handleDunning } from '../billing/dunning.ts'
import { handleIssueInvoice } from '../billing/issue-invoice.ts'
import { handleSyncInvoice } from '../billing/sync-invoice.ts'
import { handleContractsDaily } from '../contracts/contracts-daily.ts'
import { syncEnvelope } from '../contracts/sync-envelope.ts'
import { syncSowEnvelope } from '../engagements/sync-sow-envelope.ts'
import { handleSendEmail } from '../email/send-email-job.ts'
import { handleSendInvitation } from '../organizations/send-invitation.ts'
import { handleSendPasswordReset } from '../identity/send-password-reset.ts'
import { handleSendSecondFactorLocked } from '../identity/send-second-factor-locked.ts'
import { handleSendSecondFactorReset } from '../identity/send-second-factor-reset.ts'
import { handleEmailStatement } from '../royalties/email-statement.ts'
import { handleMissingReports } from '../royalties/missing-reports.ts'
import { handleDiscardStaleUploads } from '../royalties/discard-stale-uploads.ts'
import { handleExpireCredits } from '../credits/expire-lots.ts'
import { handleCreditReminders } from '../credits/send-expiry-reminders.ts'
import { handleServicesInvoiceRun } from '../engagements/run-services-invoicing.ts'
import { handleAcceptMilestones } from '../engagements/accept-milestones-passively.ts'
import { handleFulfilCheckout } from '../training/fulfil-checkout.ts'
import { handleExpireCheckout, handleReleaseLapsedCheckouts } from '../training/expire-checkout.ts'
import { closeExpiredAttempts } from '../training/close-expired-attempts.ts'
import { verifyExecution } from '../certification/verify-execution.ts'
import { prepareModel } from '../certification/prepare-model.ts'
import type { JobHandlers } from './define-job.ts'

/** Every job's handler, bound where a worker starts. A job missing here fails the type check. */
export const jobHandlers: JobHandlers = {
  'email.send': handleSendEmail,
  // One Connect webhook for every envelope: a contract's, else a statement of work's.
  'contracts.sync-envelope': async ({ envelopeId }) => {
    if ((await syncEnvelope(envelopeId)) === 'unknown') await syncSowEnvelope(envelopeId)
  },
  'contracts.daily': handleContractsDaily,
  'billing.issue-invoice': handleIssueInvoice,
  'billing.sync-invoice': handleSyncInvoice,
  'billing.dunning': handleDunning,
  'royalties.missing-reports': handleMissingReports,
  'royalties.email-statement': handleEmailStatement,
  'royalties.discard-stale-uploads': handleDiscardStaleUploads,
  'services.accept-milestones': handleAcceptMilestones,
  'services.invoice-run': handleServicesInvoiceRun,
  'credits.expire-lots': handleExpireCredits,
  'credits.send-reminders': handleCreditReminders,
  'training.fulfil-checkout': handleFulfilCheckout,
  'training.expire-checkout': handleExpireCheckout,
  'training.release-lapsed-checkouts': handleReleaseLapsedCheckouts,
  'training.close-expired-attempts': async () => {
    await closeExpiredAttempts()
  },
  'certification.prepare-model': async (model) => {
    await prepareModel(model)
  },
  'certification.verify-execution': async ({ resultId }) => {
    await verifyExecution(resultId)
  },
  'identity.send-password-reset': handleSendPasswordReset,
  'identity.send-invitation': handleSendInvitation,
  'identity.send-second-factor-locked': handleSendSecondFactorLocked,
  'identity.send-second-factor-reset': handleSendSecondFactorReset,
}
