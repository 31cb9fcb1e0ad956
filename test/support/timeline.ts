import { DELIVERY_ACTIONS } from '../../models/channels/outbound.js';

/**
 * The latest change on a staff timeline. The outbound worker records what became of a notice
 * (delivered, failed, skipped) whenever it gets to it, so such an entry may land after the change a
 * test just made; it is a record of a message, not a change, and is passed over here.
 */
export function lastChange(events: readonly Record<string, any>[]): Record<string, any> {
  const change = events.findLast((e) => !(DELIVERY_ACTIONS as readonly string[]).includes(e.action));
  if (!change) throw new Error('the timeline holds no change');
  return change;
}
