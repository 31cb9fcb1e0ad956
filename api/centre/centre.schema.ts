const dateTime = { type: 'string', format: 'date-time' };
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' };

const queueCase = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    caseNo: { type: 'string' },
    title: { type: ['string', 'null'] },
    type: { type: 'string' },
    typeLabel: { type: 'string' },
    channel: { type: 'string' },
    channelLabel: { type: 'string' },
    status: { type: 'string' },
    statusLabel: { type: 'string' },
    urgency: { type: 'string' },
    divisionCode: { type: ['string', 'null'] },
    assignedUnit: { type: ['object', 'null'], properties: { code: { type: 'string' }, name: { type: 'string' } } },
    receivedAt: dateTime,
    replyBy: nullableDateTime,
    lastReturn: {
      type: ['object', 'null'],
      description: 'the latest 退单: the unit that returned the case and its reason',
      properties: { unitCode: { type: ['string', 'null'] }, unitName: { type: ['string', 'null'] }, reason: { type: ['string', 'null'] }, at: dateTime },
    },
    waiting: {
      type: ['string', 'null'],
      enum: ['kept', 'disputed', null],
      description: "why the routing left the case to the centre at intake: kept (the centre keeps such requests), disputed (the catalogue's words and its classifier disagreed), or null",
    },
    pendingExtension: { type: ['object', 'null'], properties: { days: { type: 'integer' }, reason: { type: 'string' }, requestedAt: dateTime } },
    lastCitizenEscalationAt: nullableDateTime,
  },
};

/** The response of GET /api/centre/queues. */
export const CENTRE_QUEUES_RESPONSE = {
  type: 'object',
  properties: {
    manual: { type: 'array', items: queueCase, description: 'registered cases no rule took, and returned cases (退单)' },
    extensions: { type: 'array', items: queueCase, description: 'open cases with an extension request (延期申请) waiting' },
    chased: { type: 'array', items: queueCase, description: 'open cases the citizen chased (催办)' },
    totals: {
      type: 'object',
      description: 'how many cases wait in each list in all; a list holds at most `limit` of them',
      properties: { manual: { type: 'integer' }, extensions: { type: 'integer' }, chased: { type: 'integer' } },
      required: ['manual', 'extensions', 'chased'],
    },
    overdueByUnit: {
      type: 'array',
      items: { type: 'object', properties: { unitCode: { type: 'string' }, name: { type: 'string' }, count: { type: 'integer' } } },
    },
  },
};
