/** A pragmatic address check for forms and the API: one @, no spaces, a dot in the domain. */
export const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
