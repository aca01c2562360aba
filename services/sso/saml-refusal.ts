/** Why a SAML response was refused: recorded in the audit log and in saml_login_total{reason}. */
export type RefusalReason =
  | 'oversize'
  | 'malformed'
  | 'doctype'
  | 'xml_comment'
  | 'not_a_response'
  | 'multiple_responses'
  | 'assertion_count'
  | 'encrypted_assertion'
  | 'signed_info_count'
  | 'weak_algorithm'
  | 'idp_status'
  | 'bad_signature'
  | 'unknown_in_response_to'
  | 'missing_in_response_to'
  | 'time_window'
  | 'audience'
  | 'recipient'
  | 'destination'
  | 'issuer'
  | 'replay'
  | 'no_email'
  | 'account_elsewhere'
  | 'account_disabled'
  | 'domain_not_verified'
  | 'staff_domain'
  | 'no_membership'
  | 'membership_deactivated'
  | 'assertion_lifetime'
  | 'connection_disabled'
  | 'invalid'

const reasons = new Set<string>([
  'oversize',
  'malformed',
  'doctype',
  'xml_comment',
  'not_a_response',
  'multiple_responses',
  'assertion_count',
  'encrypted_assertion',
  'signed_info_count',
  'weak_algorithm',
  'idp_status',
  'bad_signature',
  'unknown_in_response_to',
  'missing_in_response_to',
  'time_window',
  'audience',
  'recipient',
  'destination',
  'issuer',
  'replay',
  'no_email',
  'account_elsewhere',
  'account_disabled',
  'domain_not_verified',
  'staff_domain',
  'no_membership',
  'membership_deactivated',
  'assertion_lifetime',
  'connection_disabled',
  'invalid',
] satisfies RefusalReason[])

export const isRefusalReason = (s: string): s is RefusalReason => reasons.has(s)

export class SamlRefusal extends Error {
  override name = 'SamlRefusal'
  constructor(
    readonly reason: RefusalReason,
    detail: string,
  ) {
    super(detail)
  }
}

/** What a person is told: enough to ask their IT team, nothing an attacker learns from. */
export const refusalMessage = (reason: RefusalReason): string =>
  reason === 'account_elsewhere' || reason === 'staff_domain'
    ? 'This email belongs to an account your company’s identity provider cannot sign in. Sign in with your password.'
    : reason === 'domain_not_verified'
      ? 'Your organization has not verified this email’s domain, so its identity provider cannot sign you in. ' +
        'Ask its admin to verify the domain on the single sign-on page.'
      : reason === 'no_membership' || reason === 'membership_deactivated'
        ? 'Your account is not an active member of this organization. Ask its admin for an invitation.'
        : reason === 'connection_disabled'
          ? 'Single sign-on is turned off for this organization. Ask its admin.'
          : reason === 'idp_status'
            ? 'Your identity provider did not sign you in. Try again, or ask your IT team.'
            : `Single sign-on failed (${reason.replaceAll('_', ' ')}). Start again from the sign-in page; ` +
              'if it keeps failing, ask your IT team.'
