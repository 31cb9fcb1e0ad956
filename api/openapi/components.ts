import { OPEN311_SCHEMAS } from './open311-components.js';
/** Response schemas shared by the routes, by name. */
const nullableString = { type: ['string', 'null'] };
const dateTime = { type: 'string', format: 'date-time' };
const unitRef = { type: ['object', 'null'], properties: { code: { type: 'string' }, name: { type: 'string' } } };
const deadlines = {
  type: 'object',
  description: 'acceptBy (签收) counts from dispatch (a petition\'s decision to accept, 受理, from receipt), replyBy (答复) from receipt; overdue flags are computed now.',
  properties: {
    acceptBy: { type: ['string', 'null'], format: 'date-time' },
    replyBy: { type: ['string', 'null'], format: 'date-time' },
    acceptOverdue: { type: 'boolean' },
    replyOverdue: { type: 'boolean' },
    overdue: { type: 'boolean' },
    paused: { type: 'boolean', description: 'the reply clock is stopped: a disclosure applicant amends the request (补正) or a third party is asked for its view' },
    pauseReason: { type: ['string', 'null'], enum: ['amendment', 'third_party', null], description: 'why the clock is stopped: 补正 (art. 30) or 征求第三方意见 (art. 32, 《政府信息公开条例》)' },
    pausedAt: { type: ['string', 'null'], format: 'date-time', description: 'staff view only' },
    arbitrateBy: { type: ['string', 'null'], format: 'date-time', description: "staff view only: the centre's arbitration of a disputed dispatch falls due (5 working days)" },
    acceptProvisional: { type: 'boolean', description: 'acceptBy was counted over a year without an official holiday schedule (statutory holidays only) and may move' },
    replyProvisional: { type: 'boolean', description: 'replyBy was counted over a year without an official holiday schedule (statutory holidays only) and may move' },
    provisional: { type: 'boolean', description: 'acceptProvisional or replyProvisional' },
  },
};
const petition = {
  type: ['object', 'null'],
  description: 'Petitions only (《信访工作条例》 2022): the office\'s decision, the reviews asked (复查, 复核) and whether the matter is concluded (终结)',
  properties: {
    decision: { type: ['string', 'null'], enum: ['accepted', 'rejected', null] },
    decisionLabel: { type: 'string' },
    properChannel: { type: ['string', 'null'], enum: ['litigation', 'arbitration', 'administrative_review', 'other', null], description: 'where a matter not accepted (不予受理) belongs' },
    properChannelLabel: nullableString,
    reviewLevel: { type: 'integer', minimum: 0, maximum: 2, description: '0 none, 1 复查, 2 复核' },
    reviewLabel: nullableString,
    concluded: { type: 'boolean', description: 'the 复核 is answered: a further review is refused (409 final)' },
    canReview: { type: 'boolean' },
    repeatsConcluded: { type: 'boolean', description: 'flagged at intake as repeating a concluded matter of the same petitioner' },
  },
};

export const COMPONENT_SCHEMAS: Record<string, Record<string, unknown>> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', enum: ['validation_failed', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'invalid_state', 'final', 'arbitrated', 'payload_too_large', 'rate_limited', 'captcha_required', 'captcha_invalid', 'bad_signature', 'unavailable', 'internal'] },
          message: { type: 'string' },
          details: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
    },
  },
  User: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      username: { type: 'string' },
      role: { type: 'string', enum: ['admin', 'supervisor', 'operator', 'handler'] },
      unitCode: nullableString,
      disabled: { type: 'boolean' },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  LoginResult: {
    type: 'object',
    properties: { accessToken: { type: 'string' }, tokenType: { type: 'string' }, expiresIn: { type: 'integer' }, user: { $ref: '#/components/schemas/User' } },
  },
  Unit: {
    type: 'object',
    properties: {
      code: { type: 'string' },
      name: { type: 'string' },
      shortName: { type: 'string' },
      kind: { type: 'string', enum: ['city', 'county', 'township', 'department', 'petitions_office', 'disclosure_office', 'hotline_centre'] },
      parentCode: nullableString,
    },
  },
  UnitList: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Unit' } }, total: { type: 'integer' } } },
  CaseEvent: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      action: { type: 'string' },
      fromStatus: nullableString,
      toStatus: { type: 'string' },
      actor: { type: 'object' },
      unitCode: nullableString,
      note: nullableString,
      data: { type: 'object' },
      public: { type: 'boolean' },
      at: dateTime,
    },
  },
  Case: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      caseNo: { type: 'string', description: 'YYYYMMDD (Asia/Shanghai) followed by a sequence number' },
      queryCode: { type: 'string', pattern: '^\\d{6}$', description: 'Only in the intake response and to the centre (supervisors); never to unit staff' },
      channel: { type: 'string' },
      externalId: nullableString,
      type: { type: 'string' },
      category: nullableString,
      title: nullableString,
      content: { type: 'string' },
      address: nullableString,
      divisionCode: nullableString,
      division: { type: ['object', 'null'] },
      citizen: { type: 'object', properties: { name: { type: 'string' }, phone: { type: 'string' }, email: { type: 'string' } } },
      urgency: { type: 'string', enum: ['normal', 'urgent', 'emergency'] },
      status: { type: 'string', enum: ['registered', 'dispatched', 'in_progress', 'returned', 'replied', 'closed'] },
      statusLabel: { type: 'string' },
      assignedUnit: unitRef,
      deadlines,
      procedures: {
        type: 'object',
        description: 'Third-party consultation of a disclosure request, a jurisdiction dispute awaiting the centre and the unit its arbitration bound, a rating appeal (不满意甄别)',
        properties: {
          thirdPartyOpinion: { type: ['object', 'null'], properties: { party: { type: 'string' }, reason: { type: 'string' }, requestedAt: dateTime, answerBy: dateTime, receivedAt: nullableString, agreed: { type: ['boolean', 'null'] }, note: nullableString } },
          dispute: { type: ['object', 'null'], properties: { unitCode: { type: 'string' }, reason: { type: 'string' }, suggestedUnitCode: nullableString, disputedAt: dateTime } },
          arbitratedUnit: nullableString,
          ratingAppeal: {
            type: ['object', 'null'],
            properties: { unitCode: { type: 'string' }, reason: { type: 'string' }, ratingAt: dateTime, appealedAt: dateTime, decision: { type: ['object', 'null'], properties: { upheld: { type: 'boolean' }, reason: { type: 'string' }, decidedAt: dateTime } } },
          },
        },
      },
      routing: { type: ['object', 'null'] },
      receivedAt: dateTime,
      createdAt: dateTime,
      updatedAt: dateTime,
      reopenCount: { type: 'integer' },
      supervised: { type: 'boolean' },
      version: { type: 'integer' },
      petition: { ...petition, properties: { ...petition.properties, concludedCaseId: { ...nullableString, description: 'The concluded petition (复核 answered) this one repeats, flagged at intake' } } },
      workingDaysLeft: {
        type: 'object',
        description: 'Whole working days (working calendar: holidays and 调休) left to each open deadline; null when there is none or it has passed',
        properties: { accept: { type: ['integer', 'null'] }, reply: { type: ['integer', 'null'] } },
      },
      allowedActions: { type: 'array', items: { type: 'string' }, description: 'The actions the state table allows the current user on this case now (single-case answers only)' },
      events: { type: 'array', items: { $ref: '#/components/schemas/CaseEvent' } },
    },
  },
  CaseList: {
    type: 'object',
    properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Case' } }, nextCursor: { ...nullableString, description: 'pass as ?cursor= for the next page' } },
  },
  PublicCase: {
    type: 'object',
    description: 'De-identified: the name is reduced to the surname (张**), the phone to 138****1234; no internal notes.',
    properties: {
      caseNo: { type: 'string' },
      type: { type: 'string' },
      title: nullableString,
      content: { type: 'string' },
      division: { type: ['object', 'null'] },
      citizen: { type: 'object', properties: { name: nullableString, phone: nullableString } },
      status: { type: 'string' },
      statusLabel: { type: 'string' },
      assignedUnit: unitRef,
      deadlines,
      petition,
      receivedAt: dateTime,
      events: { type: 'array', items: { type: 'object', properties: { action: { type: 'string' }, label: { type: 'string' }, status: { type: 'string' }, note: nullableString, at: dateTime } } },
    },
  },
  MailboxReceipt: {
    type: 'object',
    properties: {
      caseNo: { type: 'string' },
      queryCode: { type: 'string' },
      link: { type: 'string', description: 'Signed link token: passes a case locked after repeated wrong query codes (send it as `link` with the code)' },
      trackUrl: { type: 'string', description: 'The citizen page of the case, with number, code and link token' },
    },
  },
  CaptchaChallenge: {
    type: 'object',
    description: 'A captcha for the mailbox form: show `image`, send `challengeId` and the characters read off it as `captcha` with the letter. One try per challenge.',
    properties: {
      challengeId: { type: 'string' },
      image: { type: 'string', description: 'The picture as a data: URI (image/svg+xml)' },
      expiresInSeconds: { type: 'integer' },
    },
  },
  WebhookReceipt: {
    type: 'object',
    description: 'The first delivery (201) carries queryCode, link and trackUrl, to be passed to the author privately; a duplicate (200) carries only caseNo and duplicate.',
    properties: {
      caseNo: { type: 'string' },
      queryCode: { type: 'string' },
      link: { type: 'string' },
      trackUrl: { type: 'string' },
      duplicate: { type: 'boolean' },
    },
    required: ['caseNo', 'duplicate'],
  },
  Readiness: { type: 'object', properties: { status: { type: 'string', enum: ['ready', 'not_ready'] }, checks: { type: 'object' } } },
  ...OPEN311_SCHEMAS,
};
