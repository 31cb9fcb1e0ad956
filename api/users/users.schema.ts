import Joi from 'joi';
import type { StaffRole } from '../../models/user.repository.js';
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
