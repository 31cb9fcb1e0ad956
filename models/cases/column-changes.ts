import type { GrantedExtension } from './case.js';

/** Columns a change may write besides status and assignment (a fixed list: never from input). */
export interface ColumnChanges {
  accept_by?: Date | null;
  accept_warn_at?: Date | null;
  accept_warned_at?: Date | null;
  accept_overdue_at?: Date | null;
  reply_by?: Date | null;
  reply_warn_at?: Date | null;
  reply_warned_at?: Date | null;
  reply_overdue_at?: Date | null;
  accept_provisional?: boolean;
  reply_provisional?: boolean;
  deadline_policy?: Record<string, unknown>;
  clock_paused_at?: Date | null;
  pending_extension?: Record<string, unknown> | null;
  extensions?: readonly GrantedExtension[];
  reply?: string | null;
  replied_at?: Date | null;
  rating?: Record<string, unknown>;
  reopen_count?: number;
  supervised?: boolean;
  escalated_to?: string;
  last_citizen_escalation_at?: Date;
  merged_into?: string;
  disclosure_outcome?: string;
  disclosure_ground?: string | null;
  legal_basis?: string | null;
  review_requested_at?: Date;
  petition_decision?: 'accepted' | 'rejected';
  proper_channel?: string;
  review_level?: number;
  third_party_opinion?: Record<string, unknown> | null;
  dispute?: Record<string, unknown> | null;
  disputed_with?: string | null;
  arbitrate_by?: Date | null;
  arbitrate_warn_at?: Date | null;
  arbitrate_warned_at?: Date | null;
  arbitrate_overdue_at?: Date | null;
  third_party_by?: Date | null;
  third_party_warn_at?: Date | null;
  third_party_warned_at?: Date | null;
  third_party_overdue_at?: Date | null;
  third_party_provisional?: boolean;
  arbitrate_provisional?: boolean;
  arbitrated_unit?: string;
  rating_appeal?: Record<string, unknown>;
}

// The only column names that reach SQL besides status and assignment; names never come from input.
const COLUMNS: { readonly [K in keyof Required<ColumnChanges>]: true } = {
  accept_by: true, accept_warn_at: true, accept_warned_at: true, accept_overdue_at: true, reply_by: true, reply_warn_at: true,
  reply_warned_at: true, reply_overdue_at: true, accept_provisional: true, reply_provisional: true, deadline_policy: true, clock_paused_at: true, pending_extension: true,
  extensions: true, reply: true, replied_at: true, rating: true, reopen_count: true, supervised: true, escalated_to: true,
  last_citizen_escalation_at: true, merged_into: true, disclosure_outcome: true, disclosure_ground: true, legal_basis: true,
  review_requested_at: true, petition_decision: true, proper_channel: true, review_level: true,
  third_party_opinion: true, dispute: true, disputed_with: true, arbitrate_by: true, arbitrate_warn_at: true,
  arbitrate_warned_at: true, arbitrate_overdue_at: true, third_party_by: true, third_party_warn_at: true, third_party_warned_at: true,
  third_party_overdue_at: true, third_party_provisional: true, arbitrate_provisional: true, arbitrated_unit: true, rating_appeal: true,
};

export const CHANGEABLE_COLUMNS = Object.keys(COLUMNS) as (keyof ColumnChanges)[];
