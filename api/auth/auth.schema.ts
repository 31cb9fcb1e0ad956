import Joi from 'joi';

export interface LoginBody {
  username: string;
  password: string;
}

export const loginBody = Joi.object<LoginBody>({
  username: Joi.string().max(64).required(),
  password: Joi.string().max(256).required(),
});

export const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    username: { type: 'string' },
    role: { type: 'string', enum: ['admin', 'supervisor', 'operator', 'handler'] },
    unitCode: { type: ['string', 'null'] },
  },
};
