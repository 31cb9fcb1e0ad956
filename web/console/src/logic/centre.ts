/** A case of GET /api/centre/queues. */
export interface CentreQueueCase {
  readonly id: string;
  readonly caseNo: string;
  readonly title: string | null;
  readonly typeLabel: string;
  readonly channelLabel: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly assignedUnit: { code: string; name: string } | null;
  readonly receivedAt: string;
  readonly replyBy: string | null;
  readonly lastReturn: { unitCode: string | null; unitName: string | null; reason: string | null; at: string } | null;
  /** Why the routing left it to the centre: the centre keeps such requests, or the words and the classifier disagreed. */
  readonly waiting?: 'kept' | 'disputed' | null;
  readonly pendingExtension: { days: number; reason: string; requestedAt: string } | null;
  readonly lastCitizenEscalationAt: string | null;
}

/** GET /api/centre/queues. */
export interface CentreQueues {
  readonly manual: CentreQueueCase[];
  readonly extensions: CentreQueueCase[];
  readonly chased: CentreQueueCase[];
  /** How many cases wait in each list in all; a list holds at most 100 of them. */
  readonly totals: { manual: number; extensions: number; chased: number };
  readonly overdueByUnit: { unitCode: string; name: string; count: number }[];
}

/** The fields of a stored case the routing dry run reads. */
export interface RoutableCase {
  readonly channel: string;
  readonly type: string;
  readonly category: string | null;
  readonly title: string | null;
  readonly content: string;
  readonly address: string | null;
  readonly divisionCode: string | null;
  readonly urgency: string;
}

/** The body of POST /api/routing-rules/simulate for a case already stored: what the rules would do with it now. */
export function simulateBodyOf(c: RoutableCase): Record<string, string> {
  const body: Record<string, string> = { channel: c.channel, type: c.type, content: c.content, urgency: c.urgency };
  for (const key of ['category', 'title', 'address', 'divisionCode'] as const) {
    const value = c[key];
    if (value) body[key] = value;
  }
  return body;
}

/** The dispatch action's body: the unit, co-handling units other than it (协办), the centre's instruction if any. */
export function dispatchBody(unitCode: string, coUnits: readonly string[], note: string, expectedVersion?: number): Record<string, unknown> {
  const co = [...new Set(coUnits)].filter((u) => u && u !== unitCode);
  return {
    action: 'dispatch',
    unitCode,
    ...(co.length ? { coUnits: co } : {}),
    ...(note.trim() ? { note: note.trim() } : {}),
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
  };
}
