/**
 * Calls with the same key while one is running share its promise instead of starting another: two
 * screens (or two panels of one) asking the same heavy question at once make one query. Nothing is
 * kept once the call settles, so an answer is never older than the call that asked for it.
 */
export function sharedFlight<T>(): (key: string, run: () => Promise<T>) => Promise<T> {
  const running = new Map<string, Promise<T>>();
  return (key, run) => {
    const current = running.get(key);
    if (current) return current;
    const started = run().finally(() => running.delete(key));
    running.set(key, started);
    return started;
  };
}
