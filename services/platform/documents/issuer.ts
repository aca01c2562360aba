import { env } from '../config/env.ts'

/** A party to a document as the law wants it named: legal name, postal address, tax id. */
export interface Party {
  legalName: string
  addressLines: string[]
  taxId: string | null
}

export interface Issuer extends Party {
  email: string
  bank: { holder: string; name: string; iban: string; bic: string }
  taxNote: string
}

/** ggml as its documents name it, from the configuration (ISSUER_*, BANK_*; services/platform/config/env.ts). */
export function issuer(): Issuer {
  const e = env()
  return {
    legalName: e.ISSUER_LEGAL_NAME,
    addressLines: e.ISSUER_ADDRESS,
    taxId: e.ISSUER_TAX_ID,
    email: e.ISSUER_EMAIL,
    bank: { holder: e.ISSUER_LEGAL_NAME, name: e.BANK_NAME, iban: e.BANK_IBAN, bic: e.BANK_BIC },
    taxNote: e.INVOICE_TAX_NOTE,
  }
}

/** An IBAN as people read it: groups of four. */
export const formatIban = (iban: string) => iban.replace(/(.{4})(?=.)/g, '$1 ')
