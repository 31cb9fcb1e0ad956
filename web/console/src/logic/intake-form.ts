/** The desk's form as typed; turned into the intake body by `intakeBody`. */
export interface IntakeForm {
  phone: string;
  name: string;
  address: string;
  content: string;
  type: string;
  urgency: string;
  channel: string;
  receivedAt: string;
  countyCode: string;
  townshipCode: string;
  dispatchTo: string;
  /** 协办单位: co-handling units beside the lead unit (the rules' or dispatchTo's). */
  coUnits: string[];
}

/** Channels of the desk; a paper channel carries the date it arrived (收件日期). */
export const DESK_CHANNELS = ['hotline', 'letter', 'fax', 'in_person'] as const;
export const DATED_CHANNELS: readonly string[] = ['letter', 'fax', 'in_person'];

export function emptyIntakeForm(): IntakeForm {
  return { phone: '', name: '', address: '', content: '', type: 'complaint', urgency: 'normal', channel: 'hotline', receivedAt: '', countyCode: '', townshipCode: '', dispatchTo: '', coUnits: [] };
}

/** The title a case gets from its first words, as the queue lists cases by title. */
export function titleFrom(content: string): string {
  const firstLine = content.trim().split(/[\n。！？!?]/)[0] ?? '';
  return firstLine.length > 30 ? `${firstLine.slice(0, 30)}…` : firstLine;
}

/** POST /api/cases body: only what was filled in; a chosen township or county is sent as the division. */
export function intakeBody(form: IntakeForm): Record<string, unknown> {
  const divisionCode = form.townshipCode || form.countyCode;
  return {
    channel: form.channel,
    type: form.type,
    urgency: form.urgency,
    title: titleFrom(form.content) || undefined,
    content: form.content.trim(),
    ...(form.address.trim() ? { address: form.address.trim() } : {}),
    ...(divisionCode ? { divisionCode } : {}),
    ...(DATED_CHANNELS.includes(form.channel) && form.receivedAt ? { receivedAt: new Date(`${form.receivedAt}T00:00:00+08:00`).toISOString() } : {}),
    ...(form.dispatchTo ? { dispatchTo: form.dispatchTo } : {}),
    ...(form.coUnits.length ? { coUnits: [...form.coUnits] } : {}),
    citizen: { ...(form.name.trim() ? { name: form.name.trim() } : {}), ...(form.phone.trim() ? { phone: form.phone.trim() } : {}) },
  };
}

/** Whether a typed number is long enough to look up (a landline without area code has 7 digits). */
export function isLookupPhone(phone: string): boolean {
  return phone.replace(/\D/g, '').length >= 7;
}
