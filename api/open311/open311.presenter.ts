import type { CaseEvent } from '../../models/cases/case.js';
import { OPEN_STATUSES } from '../../models/cases/case.js';
import type { Open311Case } from '../../models/open311/request.repository.js';
import { serviceOfCase, type Open311Service } from '../../models/open311/services.js';
import { presentPublicCase } from '../public/public-case.presenter.js';

/** Open311's two statuses: a case is open until it is answered (replied) and closed after. */
export function open311Status(status: CaseEvent['toStatus']): 'open' | 'closed' {
  return OPEN_STATUSES.includes(status) ? 'open' : 'closed';
}

/** ISO 8601 with the city's offset (+08:00), as the spec's examples carry an offset. */
export function withOffset(iso: string | null): string | null {
  if (!iso) return null;
  const shifted = new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString();
  return `${shifted.slice(0, 19)}+08:00`;
}

/** A service in the list of GET services. */
export function presentService(s: Open311Service): Record<string, unknown> {
  return { service_code: s.code, service_name: s.name, description: s.description, metadata: true, type: 'realtime', keywords: s.keywords.join(','), group: s.group };
}

/** GET services/{code}: the one attribute every service takes, the request's title. */
export function presentServiceDefinition(s: Open311Service): Record<string, unknown> {
  return {
    service_code: s.code,
    attributes: [
      { variable: true, code: 'title', datatype: 'string', required: false, datatype_description: '不超过200字', order: 1, description: '诉求标题（不填则用服务名称）', values: [] },
    ],
  };
}

// Coordinates an app sent are shown to about 100 m: enough for a map, not a front door.
const roundCoordinate = (value: number | null): number | null => (value === null ? null : Math.round(value * 1_000) / 1_000);

/**
 * One request as Open311 reads it. Built on the citizen's de-identified view of the case, so that
 * the same masking applies: no name, phone, street address or internal note leaves; the place is
 * the county or township the case was located in.
 */
export function presentRequest(item: Open311Case, divisionName: string | null): Record<string, unknown> {
  const { record, extras } = item;
  // The timeline is not part of a request: its updates are read on their own.
  const view = presentPublicCase(record, [], divisionName);
  const deadlines = view.deadlines as { replyBy: string | null };
  const division = view.division as { name: string | null } | null;
  return {
    service_request_id: record.caseNo,
    status: open311Status(record.status),
    status_notes: view.reply ?? view.statusLabel,
    service_name: serviceOfCase(record.type, record.category)?.name ?? null,
    service_code: extras?.serviceCode ?? serviceOfCase(record.type, record.category)?.code ?? null,
    description: view.content,
    agency_responsible: record.assignedUnit?.name ?? null,
    service_notice: serviceNotice(deadlines.replyBy),
    requested_datetime: withOffset(view.receivedAt as string),
    updated_datetime: withOffset(item.updatedAt.toISOString()),
    expected_datetime: withOffset(deadlines.replyBy),
    address: division?.name ?? null,
    address_id: null,
    zipcode: null,
    lat: roundCoordinate(extras?.lat ?? null),
    long: roundCoordinate(extras?.long ?? null),
    media_url: extras?.mediaUrl ?? null,
  };
}

/** The notice a request carries: by when the unit must answer. */
export function serviceNotice(replyBy: string | null): string {
  return replyBy ? `已受理，承办单位应于${withOffset(replyBy)?.slice(0, 16).replace('T', ' ')}前答复` : '已受理';
}

/** The public timeline as updates (FixMyStreet's GeoReport extension). */
export function presentUpdates(caseNo: string, events: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return events.map((e) => ({
    update_id: String(e.id),
    service_request_id: caseNo,
    status: open311Status(e.status as CaseEvent['toStatus']),
    updated_datetime: withOffset(e.at as string),
    description: e.note ?? e.label,
    media_url: null,
  }));
}
