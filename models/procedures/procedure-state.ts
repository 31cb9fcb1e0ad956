/** A third party whose rights a disclosure may harm, asked for its view (《政府信息公开条例》 art. 32). */
export interface ThirdPartyOpinion {
  readonly party: string;
  readonly reason: string;
  readonly requestedAt: string;
  /** The third party's 15 working days to answer. */
  readonly answerBy: string;
  readonly receivedAt: string | null;
  readonly agreed: boolean | null;
  readonly note: string | null;
  /** The third party let its time pass and the office went on without its view (art. 32). */
  readonly lapsed?: boolean;
}

/** A dispatch contested by its unit (管辖争议), waiting for the centre's arbitration. */
export interface Dispute {
  readonly unitCode: string;
  readonly reason: string;
  readonly suggestedUnitCode: string | null;
  readonly disputedAt: string;
}

/** A unit's appeal against a dissatisfied rating (不满意甄别), and the centre's decision once made. */
export interface RatingAppeal {
  readonly unitCode: string;
  readonly reason: string;
  /** The rating appealed against, by its time: a later rating of the case is another one. */
  readonly ratingAt: string;
  readonly appealedAt: string;
  /** The end of the window the appeal was filed in, and the policy set that gave it. */
  readonly appealBy?: string;
  readonly policyVersion?: number;
  readonly decision: { readonly upheld: boolean; readonly reason: string; readonly decidedAt: string } | null;
}

/** The state of the procedures of issue 15 on one case. */
export interface ProcedureState {
  readonly thirdPartyOpinion: ThirdPartyOpinion | null;
  readonly dispute: Dispute | null;
  /** The unit the centre's arbitration bound the case to. */
  readonly arbitratedUnit: string | null;
  readonly ratingAppeal: RatingAppeal | null;
}

/** Why a disclosure request's reply clock stands still: 补正, or a third party's view awaited. */
export function pauseReason(state: ProcedureState, pausedAt: Date | null): 'amendment' | 'third_party' | null {
  if (pausedAt === null) return null;
  return state.thirdPartyOpinion !== null && state.thirdPartyOpinion.receivedAt === null ? 'third_party' : 'amendment';
}
