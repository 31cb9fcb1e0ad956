import Joi from 'joi';
import type { StaffRole } from '../../models/accounts/user.repository.js';
import { unitCode } from '../http/common.schema.js';

export interface CreateUserBody {
  username: string;
  password: string;
  role: StaffRole;
  unitCode?: string;
}

export const createUserBody = Joi.object<CreateUserBody>({
  username: Joi.string().trim().min(3).max(64).pattern(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -').required(),
  password: Joi.string().min(10).max(256).required(),
  role: Joi.string().valid('admin', 'supervisor', 'operator', 'handler').required(),
  unitCode: unitCode.when('role', { is: 'handler', then: Joi.required() }),
});

export interface ListUsersQuery {
  role?: StaffRole;
  unitCode?: string;
}

export const listUsersQuery = Joi.object<ListUsersQuery>({
  role: Joi.string().valid('admin', 'supervisor', 'operator', 'handler'),
  unitCode,
});

/** What an administrator may change of an account: at least one field. */
export interface PatchUserBody {
  role?: StaffRole;
  unitCode?: string | null;
  disabled?: boolean;
  /** A new password set by the administrator (a reset); the account's sessions end. */
  password?: string;
  /** Designates (or removes) the head of the disclosure office the handler belongs to. */
  disclosureHead?: boolean;
}

export const patchUserBody = Joi.object<PatchUserBody>({
  role: Joi.string().valid('admin', 'supervisor', 'operator', 'handler'),
  unitCode: unitCode.allow(null),
  disabled: Joi.boolean(),
  password: Joi.string().min(10).max(256),
  disclosureHead: Joi.boolean(),
}).min(1);

export interface ChangeOwnPasswordBody {
  currentPassword: string;
  newPassword: string;
}

export const changeOwnPasswordBody = Joi.object<ChangeOwnPasswordBody>({
  currentPassword: Joi.string().max(256).required(),
  newPassword: Joi.string().min(10).max(256).invalid(Joi.ref('currentPassword')).required().messages({ 'any.invalid': '"newPassword" must differ from the current password' }),
});
