// helmet's default policy made stricter (no inline styles) and without upgrade-insecure-requests:
// that directive sends every asset to https:// and leaves the page bare when it is opened over
// plain HTTP by host name (a phone on the LAN against `npm start`); behind TLS it changes nothing.
export const PAGE_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
].join('; ');
