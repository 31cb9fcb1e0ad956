import type { Actor, DisclosureGround, DisclosureOutcome, OPERATOR_CHANNELS, ProperChannel } from './case.js';
import type { Satisfaction } from './case-workflow.js';

interface Versioned {
  readonly expectedVersion?: number;
}

/** An action as the API validated it. */
export type ActionCommand = Versioned &
  (
    | { readonly action: 'dispatch'; readonly unitCode: string; readonly coUnits?: readonly string[]; readonly note?: string }
    | { readonly action: 'accept'; readonly note?: string }
    | { readonly action: 'forward'; readonly unitCode: string; readonly note?: string }
    | { readonly action: 'return'; readonly reason: string }
    | { readonly action: 'request_extension'; readonly days: number; readonly reason: string }
    | { readonly action: 'approve_extension'; readonly note?: string }
    | { readonly action: 'reject_extension'; readonly reason: string }
    | { readonly action: 'request_amendment'; readonly note: string }
    | { readonly action: 'amendment_received'; readonly note?: string }
    | { readonly action: 'close'; readonly note?: string; readonly satisfaction?: Satisfaction; readonly comment?: string }
    | { readonly action: 'return_visit'; readonly satisfaction: Satisfaction; readonly comment?: string }
    | { readonly action: 'reopen'; readonly reason: string }
    | { readonly action: 'supervise'; readonly note: string }
    | { readonly action: 'merge'; readonly intoCaseId: string }
    | { readonly action: 'assign'; readonly unitCode: string; readonly note?: string }
    | { readonly action: 'feedback'; readonly note: string }
    | { readonly action: 'supplement'; readonly content: string; readonly channel?: (typeof OPERATOR_CHANNELS)[number] }
    | { readonly action: 'reply'; readonly reply: string; readonly outcome?: DisclosureOutcome; readonly ground?: DisclosureGround; readonly legalBasis?: string; readonly publicInterest?: string }
    | { readonly action: 'accept_petition'; readonly note?: string }
    | { readonly action: 'reject_petition'; readonly reason: string; readonly properChannel: ProperChannel }
    | ProcedureCommand
  );

/** The actions of issue 15: third-party consultation, jurisdiction disputes, rating appeals. */
export type ProcedureCommand =
  | { readonly action: 'request_third_party_opinion'; readonly party: string; readonly reason: string }
  | { readonly action: 'third_party_opinion_received'; readonly agreed: boolean; readonly note?: string }
  | { readonly action: 'third_party_no_answer'; readonly note?: string }
  | { readonly action: 'dispute_dispatch'; readonly reason: string; readonly suggestedUnitCode?: string }
  | { readonly action: 'arbitrate_dispute'; readonly unitCode: string; readonly reason: string }
  | { readonly action: 'appeal_rating'; readonly reason: string }
  | { readonly action: 'decide_rating_appeal'; readonly upheld: boolean; readonly reason: string };

/** A staff member taking an action. */
export interface StaffActor extends Actor {
  readonly id: string;
  readonly role: 'admin' | 'supervisor' | 'operator' | 'handler';
  /** As the token says: the head of a disclosure office (art. 33). Screens use it; actions read the account. */
  readonly disclosureHead?: boolean;
}
