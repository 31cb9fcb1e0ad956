/**
 * Turns for the requests that fill one view: each request takes a turn, and its answer is applied
 * only while its turn is still the newest. An answer that was asked for earlier but arrives later
 * (a reload started before an action, answered after it) is dropped instead of showing the past.
 */
export function createTurns(): { take(): number; isLatest(turn: number): boolean } {
  let latest = 0;
  return {
    take: () => (latest += 1),
    isLatest: (turn) => turn === latest,
  };
}
