import type { ProcedureState } from '../procedures/procedure-state.js';

/** Where a request came in. Disclosure requests use the intake modes in_person, fax, online, letter, other. */
export const CHANNELS = ['hotline', 'mailbox', 'microblog', 'wechat', 'web_qa', 'in_person', 'letter', 'fax', 'online', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels an operator enters by hand (the phone and the back office). */
export const OPERATOR_CHANNELS = ['hotline', 'letter', 'fax', 'in_person', 'online', 'other'] as const;
/** Channels that deliver by signed webhook. */
export const WEBHOOK_CHANNELS = ['microblog', 'wechat', 'web_qa'] as const;
export type WebhookChannel = (typeof WEBHOOK_CHANNELS)[number];

export const CASE_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise', 'petition', 'disclosure'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const STATUSES = ['registered', 'dispatched', 'in_progress', 'returned', 'replied', 'closed'] as const;
export type CaseStatus = (typeof STATUSES)[number];

/** The citizen's private contact details; never shown publicly except de-identified. */
export interface Citizen {
  readonly name?: string;
  readonly phone?: string;
  readonly email?: string;
  /** The sender's account on a social channel. */
  readonly channelUserId?: string;
}

/** How the case's location was worked out. */
export interface DivisionInfo {
  readonly countyCode: string | null;
  readonly townshipCode: string | null;
  readonly source: 'explicit' | 'address' | 'none';
  readonly explanation: string;
  readonly ambiguous?: readonly { code: string; name: string; countyCode: string }[];
}

/** An extension of the reply limit asked for by the unit (延期申请), waiting for the centre. */
export interface PendingExtension {
  readonly days: number;
  readonly reason: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
}

/** An approved extension, as recorded on the case. */
export interface GrantedExtension {
  readonly days: number;
  readonly reason: string;
  readonly approvedBy: string;
  readonly approvedAt: string;
  readonly previousReplyBy: string;
}

/** A case's time limits: when each falls due, whether its effects fired, and what produced them. */
export interface CaseDeadlines {
  readonly acceptBy: Date | null;
  readonly acceptWarnAt: Date | null;
  readonly acceptOverdueAt: Date | null;
  readonly replyBy: Date | null;
  readonly replyWarnAt: Date | null;
  readonly replyOverdueAt: Date | null;
  /** The deadline was counted over a year without an official holiday schedule and may still move. */
  readonly acceptProvisional: boolean;
  readonly replyProvisional: boolean;
  /** Bumped whenever a deadline moves; deadline jobs of older versions do nothing. */
  readonly version: number;
  readonly policy: Record<string, unknown> | null;
  /** Set while a disclosure request waits for the applicant's amendment (补正). */
  readonly pausedAt: Date | null;
  readonly pendingExtension: PendingExtension | null;
  readonly extensions: readonly GrantedExtension[];
  /** The centre's arbitration of a contested dispatch falls due (5 working days). */
  readonly arbitrateBy: Date | null;
  readonly arbitrateWarnAt: Date | null;
  readonly arbitrateOverdueAt: Date | null;
  /** Like acceptProvisional: the arbitration's due relies on a year without an official schedule. */
  readonly arbitrateProvisional: boolean;
  /** The answer of a third party consulted on a disclosure request falls due (15 working days); null when none is awaited. */
  readonly thirdPartyBy: Date | null;
  readonly thirdPartyWarnAt: Date | null;
  readonly thirdPartyOverdueAt: Date | null;
  readonly thirdPartyProvisional: boolean;
}

/** Where a petition the office does not accept belongs instead (不予受理: 法定途径). */
export const PROPER_CHANNELS = ['litigation', 'arbitration', 'administrative_review', 'other'] as const;
export type ProperChannel = (typeof PROPER_CHANNELS)[number];

/** The statutory channels by the names the written notice and the screens use. */
export const PROPER_CHANNEL_LABELS: Readonly<Record<ProperChannel, string>> = {
  litigation: '诉讼',
  arbitration: '仲裁',
  administrative_review: '行政复议',
  other: '其他法定途径',
};

/** A petition's procedure so far; every field is null or 0 for other case types. */
export interface PetitionState {
  /** 受理 or 不予受理, once the petitions office decided. */
  readonly decision: 'accepted' | 'rejected' | null;
  readonly properChannel: ProperChannel | null;
  /** 0: none asked; 1: 复查; 2: 复核, after which the matter is concluded (终结). */
  readonly reviewLevel: number;
  /** The concluded case a new petition repeats, flagged at intake. */
  readonly concludedCaseId: string | null;
}

/** A case as stored, with its assigned unit's name. */
export interface CaseRecord {
  readonly id: string;
  readonly caseNo: string;
  readonly queryCode: string;
  readonly channel: Channel;
  readonly externalId: string | null;
  readonly type: CaseType;
  readonly category: string | null;
  readonly title: string | null;
  readonly content: string;
  readonly address: string | null;
  readonly divisionCode: string | null;
  readonly division: DivisionInfo | null;
  readonly citizen: Citizen;
  readonly urgency: Urgency;
  readonly status: CaseStatus;
  readonly assignedUnit: { readonly code: string; readonly name: string } | null;
  /** Co-handling units (协办), which see the case beside the assigned unit. */
  readonly coUnits: readonly string[];
  readonly routing: Record<string, unknown> | null;
  readonly receivedAt: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly createdBy: string | null;
  readonly intakeFingerprint: string | null;
  readonly reopenCount: number;
  readonly supervised: boolean;
  readonly version: number;
  readonly deadlines: CaseDeadlines;
  /** The unit above that an overdue case was escalated to for supervision. */
  readonly escalatedTo: string | null;
  /** The answer given to the citizen (答复). */
  readonly reply: string | null;
  readonly repliedAt: Date | null;
  /** The latest rating (评价), from the citizen page or the return visit. */
  readonly rating: { readonly satisfaction: string; readonly comment: string | null; readonly source: string; readonly at: string } | null;
  readonly lastCitizenEscalationAt: Date | null;
  /** The unit that first received the request; a petition's result is fed back to it. */
  readonly receivedByUnit: string | null;
  readonly reviewRequestedAt: Date | null;
  /** The petition procedure (信访): the office's decision, the reviews asked, the concluded matter it repeats. */
  readonly petition: PetitionState;
  readonly mergedInto: string | null;
  readonly disclosure: { readonly outcome: string; readonly ground: string | null; readonly legalBasis: string | null } | null;
  /** Third-party consultation, jurisdiction dispute, rating appeal. */
  readonly procedures: ProcedureState;
}

/** The statutory outcomes of a disclosure reply (the rows of the annual report), and 'withdrawn'. */
export const DISCLOSURE_OUTCOMES = ['already_public', 'disclosed', 'partly_disclosed', 'not_disclosed', 'not_held', 'not_exist', 'amend', 'other_route', 'withdrawn'] as const;
export type DisclosureOutcome = (typeof DISCLOSURE_OUTCOMES)[number];

/** Why information is withheld (不予公开), 《政府信息公开条例》 arts. 14-16. */
export const DISCLOSURE_GROUNDS = ['state_secret', 'commercial_secret', 'privacy', 'security_stability', 'not_government_info', 'other_statutory'] as const;
export type DisclosureGround = (typeof DISCLOSURE_GROUNDS)[number];

/** Open statuses: the reply clock runs (unless paused) until the case is replied. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['registered', 'dispatched', 'in_progress', 'returned'];

/** Whether each deadline is overdue now; for an answered case, whether the answer came late. */
export function overdueFlags(record: CaseRecord, now: Date): { accept: boolean; reply: boolean } {
  const d = record.deadlines;
  const accept = record.status === 'dispatched' && (d.acceptOverdueAt !== null || (d.acceptBy !== null && d.acceptBy <= now));
  const open = OPEN_STATUSES.includes(record.status);
  const reply =
    d.replyBy !== null &&
    (open ? d.pausedAt === null && (d.replyOverdueAt !== null || d.replyBy <= now) : record.repliedAt !== null && record.repliedAt > d.replyBy);
  return { accept, reply };
}

/** Whether some deadline of the case relies on a year without an official schedule; a procedure's flag counts while its deadline runs. */
export function anyProvisional(d: CaseDeadlines): boolean {
  return d.acceptProvisional || d.replyProvisional || (d.thirdPartyProvisional && d.thirdPartyBy !== null) || (d.arbitrateProvisional && d.arbitrateBy !== null);
}

/** One entry of a case's append-only timeline. */
export interface CaseEvent {
  readonly id: number;
  readonly caseId: string;
  readonly action: string;
  readonly fromStatus: CaseStatus | null;
  readonly toStatus: CaseStatus;
  readonly actorId: string | null;
  readonly actorRole: string;
  readonly actorUnit: string | null;
  readonly unitCode: string | null;
  readonly note: string | null;
  readonly data: Record<string, unknown>;
  readonly public: boolean;
  readonly createdAt: Date;
}

/** Who performs an action: a staff member, a citizen without an account, a channel, or the system. */
export interface Actor {
  readonly id: string | null;
  readonly role: 'admin' | 'supervisor' | 'operator' | 'handler' | 'citizen' | 'channel' | 'system';
  readonly unitCode: string | null;
}
