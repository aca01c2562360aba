import { handleDunning } from '../services/billing/dunning.ts'
import { handleIssueInvoice } from '../services/billing/issue-invoice.ts'
import { handleSyncInvoice } from '../services/billing/sync-invoice.ts'
import { handleReconcileOpenInvoices } from '../services/billing/reconcile-open-invoices.ts'
import { handleContractsDaily } from '../services/contracts/contracts-daily.ts'
import { syncEnvelope } from '../services/contracts/sync-envelope.ts'
import { syncSowEnvelope } from '../services/engagements/sync-sow-envelope.ts'
import { handleSendEmail } from '../services/platform/email/send-email-job.ts'
import { handleSendInvitation } from '../services/organizations/send-invitation.ts'
import { handleSendPasswordReset } from '../services/identity/send-password-reset.ts'
import { handleSendSecondFactorLocked } from '../services/identity/send-second-factor-locked.ts'
import { handleSendSecondFactorReset } from '../services/identity/send-second-factor-reset.ts'
import { handleEmailStatement } from '../services/royalties/email-statement.ts'
import { deliverWebhook } from '../services/webhooks/deliver-webhook.ts'
import { handleRetryDueWebhooks } from '../services/webhooks/retry-due-webhooks.ts'
import { handleInvoiceAdvance } from '../services/royalties/invoice-advance.ts'
import { handleInvoicePilotFee } from '../services/royalties/invoice-pilot-fee.ts'
import { handleMissingReports } from '../services/royalties/missing-reports.ts'
import { handleDiscardStaleUploads } from '../services/royalties/discard-stale-uploads.ts'
import { handleExpireCredits } from '../services/credits/expire-lots.ts'
import { handleCreditReminders } from '../services/credits/send-expiry-reminders.ts'
import { handleServicesInvoiceRun } from '../services/engagements/run-services-invoicing.ts'
import { handleAcceptMilestones } from '../services/engagements/accept-milestones-passively.ts'
import { handleFulfilCheckout } from '../services/training/fulfil-checkout.ts'
import { handleFinishRefund } from '../services/training/refund-unfulfilled-order.ts'
import { handleExpireCheckout, handleReleaseLapsedCheckouts } from '../services/training/expire-checkout.ts'
import { closeExpiredAttempts } from '../services/training/close-expired-attempts.ts'
import { verifyExecution } from '../services/certification/verify-execution.ts'
import { prepareModel } from '../services/certification/prepare-model.ts'
import type { JobHandlers } from '../services/platform/jobs/define-job.ts'

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
  'billing.reconcile-open-invoices': handleReconcileOpenInvoices,
  'royalties.email-statement': handleEmailStatement,
  'royalties.invoice-advance': handleInvoiceAdvance,
  'royalties.invoice-pilot-fee': handleInvoicePilotFee,
  'royalties.discard-stale-uploads': handleDiscardStaleUploads,
  'services.accept-milestones': handleAcceptMilestones,
  'services.invoice-run': handleServicesInvoiceRun,
  'credits.expire-lots': handleExpireCredits,
  'credits.send-reminders': handleCreditReminders,
  'training.fulfil-checkout': handleFulfilCheckout,
  'training.expire-checkout': handleExpireCheckout,
  'training.finish-refund': handleFinishRefund,
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
  'webhooks.deliver': deliverWebhook,
  'webhooks.retry-due': handleRetryDueWebhooks,
}
