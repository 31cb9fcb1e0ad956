import Joi from 'joi';
import type { UnitChange } from '../../models/org/unit-admin.repository.js';
import type { UnitKind } from '../../models/org/seed/org-tree.js';
import { unitCode } from '../http/common.schema.js';

const KINDS: readonly UnitKind[] = ['city', 'county', 'township', 'department', 'petitions_office', 'disclosure_office', 'hotline_centre'];
// Only the root is a city; everything an admin adds hangs below it.
const CREATABLE_KINDS = KINDS.filter((k) => k !== 'city');
const unitName = Joi.string().trim().min(2).max(50);

export interface ListUnitsQuery {
  includeDisabled: boolean;
  kind?: string;
  parent?: string;
  q?: string;
  limit: number;
  offset: number;
}

export const listUnitsQuery = Joi.object<ListUnitsQuery>({
  includeDisabled: Joi.boolean().default(false),
  kind: Joi.string().valid(...KINDS),
  parent: unitCode,
  q: Joi.string().trim().min(1).max(50),
  limit: Joi.number().integer().min(1).max(500).default(100),
  offset: Joi.number().integer().min(0).max(100_000).default(0),
});

export const unitParams = Joi.object<{ code: string }>({ code: unitCode.required() });

export interface CreateUnitBody {
  code: string;
  name: string;
  shortName?: string;
  kind: Exclude<UnitKind, 'city'>;
  parentCode: string;
}

/** A new unit: its code (GB/T 2260 digits, or a county's code with a department slug), name, kind and parent. */
export const createUnitBody = Joi.object<CreateUnitBody>({
  code: unitCode.required(),
  name: unitName.required(),
  shortName: unitName,
  kind: Joi.string().valid(...CREATABLE_KINDS).required(),
  parentCode: unitCode.required(),
});

/** A rename, a move under another parent, disabling or enabling: at least one. */
export const changeUnitBody = Joi.object<UnitChange>({
  name: unitName,
  shortName: unitName,
  parentCode: unitCode,
  disabled: Joi.boolean(),
}).or('name', 'shortName', 'parentCode', 'disabled');
