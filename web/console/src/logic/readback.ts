/** What the operator reads back to the caller once the case is stored. */
export interface ReadBackInput {
  readonly caseNo: string;
  readonly queryCode: string;
  readonly unitName: string | null;
  readonly replyBy: string | null;
  /** Answered at the desk (当场答复): the case is already closed. */
  readonly answeredDirectly?: boolean;
}

const DAY = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric' });

/** Digits spaced in twos so that they are read out and copied without slips: 12 34 56. */
export function spaced(digits: string): string {
  return digits.replace(/(\d{2})(?=\d)/g, '$1 ');
}

/** The read-back sentence: case number, query code, who handles it and by when. */
export function readBackSentence(input: ReadBackInput): string {
  if (input.answeredDirectly) {
    return `您的诉求已登记并当场答复，工单编号${input.caseNo}，查询码${spaced(input.queryCode)}，请您记好。您可以凭工单编号和查询码在网站上查看答复内容。`;
  }
  const handling = input.unitName ? `已转${input.unitName}办理` : '将由热线中心派单办理';
  const by = input.replyBy ? `，答复期限为${formatMonthDay(input.replyBy)}` : '';
  return (
    `您的诉求已登记，工单编号${input.caseNo}，查询码${spaced(input.queryCode)}，请您记好。` +
    `${handling}${by}。您可以凭工单编号和查询码在网站上查询办理进度。`
  );
}

// A limit ending at 24:00 is told as that day, not the next: one millisecond earlier is the same day.
function formatMonthDay(iso: string): string {
  const parts = Object.fromEntries(DAY.formatToParts(new Date(Date.parse(iso) - 1)).map((p) => [p.type, p.value]));
  return `${parts.month}月${parts.day}日`;
}
