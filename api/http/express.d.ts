import type { StaffPrincipal } from '../auth/token.js';

declare global {
  namespace Express {
    interface Request {
      /** The authenticated staff member, set by the authenticate middleware. */
      user?: StaffPrincipal;
      /** The body exactly as received, kept for signature checks. */
      rawBody?: Buffer;
    }
  }
}
