// The departments every rule target may name, from the one list the API seeds the unit tree from.
import { DEPARTMENTS } from '../../../../../models/org/seed/departments.js';

/** Department slugs and their names (without the 市/县 prefix). */
export const DEPARTMENT_OPTIONS: readonly { slug: string; name: string }[] = DEPARTMENTS.map((d) => ({ slug: d.slug, name: d.name }));

/** A department slug's name (the slug when unknown). */
export function departmentName(slug: string): string {
  return DEPARTMENT_OPTIONS.find((d) => d.slug === slug)?.name ?? slug;
}
