import { STATUS_LABELS } from '../api/cases/labels.js';
import { deIdentifyOptional } from '../models/privacy/de-identify.js';
import type { DeliveryContext } from '../models/channels/outbound.js';

/** What happened, as the citizen is told. */
export type NoticeKind = 'reply' | 'close' | 'reopen';

/** The news of one event, in the citizen's terms: only what the public case page shows too. */
export interface Notice {
  readonly eventId: number;
  readonly caseNo: string;
  readonly queryCode: string;
  readonly kind: NoticeKind;
  readonly status: string;
  readonly statusLabel: string;
  /** 已答复 / 已办结 / 已重新办理. */
  readonly headline: string;
  /** The reply (de-identified) or what happens next. */
  readonly detail: string;
  /** Where the citizen page shows the case: the host is the receiver's business. */
  readonly queryUrlPath: string;
}

const HEADLINES: Readonly<Record<NoticeKind, string>> = { reply: '已答复', close: '已办结', reopen: '已重新办理' };
// An SMS of more than a few segments is cut by carriers; the whole reply is on the case page.
const SMS_REPLY_MAX = 150;

const kindOf = (action: string): NoticeKind => (action === 'close' || action === 'reopen' ? action : 'reply');

/** Turns the event into the citizen's notice. The reply is masked as on the public page (去标识化). */
export function composeNotice(d: DeliveryContext): Notice {
  const kind = kindOf(d.action);
  const detail = {
    reply: deIdentifyOptional(d.note, { citizenName: d.citizen.name }) ?? '',
    close: '感谢您对12345热线工作的支持。',
    reopen: `已重新交由${d.unitName ?? '承办单位'}办理，办理结果将再次告知您。`,
  }[kind];
  return {
    eventId: d.eventId,
    caseNo: d.caseNo,
    queryCode: d.queryCode,
    kind,
    status: d.status,
    statusLabel: STATUS_LABELS[d.status],
    headline: HEADLINES[kind],
    detail,
    queryUrlPath: `/?caseNo=${encodeURIComponent(d.caseNo)}&code=${encodeURIComponent(d.queryCode)}`,
  };
}

const trackHint = (n: Notice): string => (n.kind === 'reply' ? '查询办理进度并对办理结果进行评价' : '查询办理进度');

/**
 * The reply posted to a social channel's reply endpoint, answering the citizen's message. The
 * text leaves the query code out — a microblog reply is usually public — and `queryUrlPath`
 * carries it for the platform to pass on privately. The receiver dedupes by caseNo + eventId:
 * a message may arrive twice (see outbound.worker.ts).
 */
export function webhookPayload(n: Notice, messageId: string): Record<string, unknown> {
  const body = n.kind === 'reply' ? `答复如下：${n.detail}` : n.detail;
  return {
    messageId,
    caseNo: n.caseNo,
    eventId: n.eventId,
    event: n.kind,
    status: n.status,
    statusLabel: n.statusLabel,
    text: `您的诉求（编号${n.caseNo}）${n.headline}。${body}凭诉求编号和查询码可${trackHint(n)}。`,
    queryUrlPath: n.queryUrlPath,
  };
}

/** The SMS text: short, with the query code the citizen needs to look the case up. */
export function smsText(n: Notice): string {
  const detail = Array.from(n.detail);
  const cut = detail.length > SMS_REPLY_MAX ? `${detail.slice(0, SMS_REPLY_MAX).join('')}…（全文请上网查询）` : n.detail;
  const body = n.kind === 'reply' ? `答复：${cut}` : cut;
  return `【12345】您的诉求${n.caseNo}${n.headline}。${body}查询码${n.queryCode}，可在12345网站${trackHint(n)}。`;
}

/** The e-mail answering a letter to the mayor's mailbox. */
export function emailMessage(n: Notice): { subject: string; text: string } {
  const detail = n.kind === 'reply' ? `答复内容：\n${n.detail}` : n.detail;
  return {
    subject: `【12345】您的诉求${n.caseNo}${n.headline}`,
    text: [
      '您好：',
      '',
      `您通过市长信箱反映的诉求（编号：${n.caseNo}）${n.headline}。`,
      '',
      detail,
      '',
      `当前状态：${n.statusLabel}`,
      `请在临沂12345网站输入诉求编号 ${n.caseNo} 和查询码 ${n.queryCode}，${trackHint(n)}（${n.queryUrlPath}）。`,
      '',
      '本邮件由系统自动发送，请勿直接回复。',
      '临沂市12345政务服务便民热线',
    ].join('\n'),
  };
}
