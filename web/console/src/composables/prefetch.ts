/**
 * Answers asked for before the screen that wants them has loaded: the router asks a screen's first
 * questions while the screen's code is still on its way, and the screen then takes each answer
 * once, by its exact path. An answer not taken soon is dropped rather than shown stale later.
 */
const TAKE_WITHIN_MS = 15_000;
const early = new Map<string, { readonly answer: Promise<unknown>; readonly at: number }>();

/** Starts `ask` for `path` unless an early answer for it is already waiting. */
export function prefetch(path: string, ask: () => Promise<unknown>): void {
  const waiting = early.get(path);
  if (waiting && Date.now() - waiting.at < TAKE_WITHIN_MS) return;
  const answer = ask();
  // Whoever takes it handles its failure; until then it must not count as unhandled.
  answer.catch(() => undefined);
  early.set(path, { answer, at: Date.now() });
}

/** The early answer for `path`, once; undefined when there is none or it is too old. */
export function takePrefetched<T>(path: string): Promise<T> | undefined {
  const waiting = early.get(path);
  early.delete(path);
  if (!waiting || Date.now() - waiting.at >= TAKE_WITHIN_MS) return undefined;
  return waiting.answer as Promise<T>;
}

/** Drops every early answer: at logout, so that nothing asked with one token reaches the next user. */
export function dropPrefetched(): void {
  early.clear();
}
