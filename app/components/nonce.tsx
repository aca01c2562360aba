import { createContext, useContext } from 'react'

// The request's CSP nonce, for the inline scripts React Router renders. Empty in the browser, where
// the nonce attribute is hidden from the DOM anyway.
const NonceContext = createContext('')
export const NonceProvider = NonceContext.Provider
export const useNonce = () => useContext(NonceContext)
