import type { UnitDirectory } from '../models/org/unit-directory.js';

/** A unit's room: its handlers, and nobody else. */
export const unitRoom = (code: string): string => `unit:${code}`;

/** The centre's room: operators, supervisors and admins see every case. */
export const CENTRE_ROOM = 'centre';

/** One staff account's own room: every socket it has open, on any process, to cut them all at once. */
export const userRoom = (userId: string): string => `user:${userId}`;

/** A case's room: the citizens tracking it with its number and query code. */
export const caseRoom = (caseId: string): string => `case:${caseId}`;

/**
 * The rooms that must hear about a case held by `unitCodes` (the assigned unit and co-handling
 * units). A handler joins only its own unit's room, and an event goes to the room of each holding
 * unit and of every unit above it: a handler then hears about its own unit's cases and those of
 * the units below it, as GET /api/cases scopes them, and never about a sibling's. This keeps one
 * room per socket (a county handler does not join the rooms of its hundreds of townships) and
 * costs at most the tree's depth in rooms per event; Socket.IO delivers once to a socket found in
 * several of them.
 */
export function unitChainRooms(units: UnitDirectory, unitCodes: readonly (string | null | undefined)[]): string[] {
  const rooms = new Set<string>();
  for (const start of unitCodes) {
    // Bounded by the directory's size: a corrupted parent cycle cannot loop forever.
    let code = start ?? undefined;
    for (let hops = 0; code !== undefined && hops < 64; hops += 1) {
      if (rooms.has(unitRoom(code))) break;
      rooms.add(unitRoom(code));
      code = units.get(code)?.parentCode ?? undefined;
    }
  }
  return [...rooms];
}
