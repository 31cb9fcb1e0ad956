import Joi from 'joi';

/** A UUID path parameter; anything else can name no case. */
export const idParams = Joi.object<{ id: string }>({ id: Joi.string().guid({ version: ['uuidv4', 'uuidv7'] }).required() });

/** Text a person typed: trimmed, no control characters besides line breaks and tabs. */
export const text = (max: number): Joi.StringSchema =>
  Joi.string().trim().max(max).pattern(/^(?:[^\p{Cc}]|[\t\n\r])*$/u, 'printable text');

/** A mainland mobile or landline number, with or without separators. */
export const phone = Joi.string().trim().pattern(/^\+?[\d\s-]{5,20}$/, 'phone number');

export const unitCode = Joi.string().trim().max(64).pattern(/^[0-9]{4,12}(-[a-z0-9]+)?$/, 'unit code');
