import { reactive } from 'vue';
import { useApi } from './useApi.ts';

// Unit names are public organisation data; one map for the whole app, filled as codes appear.
const names = reactive(new Map<string, string>());
const pending = new Set<string>();

/** The name of a unit code (the code itself until GET /api/units/{code} answers). */
export function useUnitNames() {
  const api = useApi();
  function nameOf(code: string | null | undefined): string {
    if (!code) return '';
    const known = names.get(code);
    if (known) return known;
    if (!pending.has(code)) {
      pending.add(code);
      api.get<{ name: string }>(`/api/units/${encodeURIComponent(code)}`).then(
        (unit) => names.set(code, unit.name),
        () => pending.delete(code),
      );
    }
    return code;
  }
  return { nameOf };
}
