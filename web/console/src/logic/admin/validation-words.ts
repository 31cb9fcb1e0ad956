/** One failing field of a 400, as the API reports it. */
export interface ValidationDetail {
  readonly path: string;
  readonly message: string;
  readonly type?: string;
}

// Joi's error types in words; the field's label is shown beside them, so the words leave it out.
const WORDS_OF_TYPE: Readonly<Record<string, string>> = {
  'any.required': '必须填写',
  'string.empty': '不能为空',
  'string.base': '必须是文字',
  'string.max': '内容过长',
  'string.min': '内容过短',
  'string.pattern.name': '格式不正确',
  'string.pattern.base': '格式不正确',
  'string.uri': '必须是 http:// 或 https:// 开头的网址',
  'string.uriCustomScheme': '必须是 http:// 或 https:// 开头的网址',
  'string.email': '必须是电子邮箱地址',
  'string.hostname': '必须是主机名',
  'number.base': '必须是数字',
  'number.integer': '必须是整数',
  'number.positive': '必须大于 0',
  'number.min': '数值过小',
  'number.max': '数值过大',
  'number.unsafe': '数值超出范围',
  'array.min': '至少填写一项',
  'array.max': '项数过多',
  'array.unique': '有重复的项',
  'array.hasUnknown': '须保留一条“全部类型、全部紧急程度”的兜底时限',
  'any.only': '不是可选的取值',
  'object.unknown': '不允许的字段',
  'object.and': '用户名和密码须同时填写',
};

/** A detail of a 400 in words (the API's own message when its type is not known here). */
export function detailInWords(detail: ValidationDetail): string {
  const words = detail.type ? WORDS_OF_TYPE[detail.type] : undefined;
  if (words) return words;
  if (/^no unit has the code/.test(detail.message)) return '没有这个编码的单位';
  if (/internal address/.test(detail.message)) return '不能指向内网地址';
  return detail.message;
}

/** A 400's details in words, keyed by the field each belongs to (`fieldOf` returns '' for none). */
export function errorsByField<F extends string>(details: readonly ValidationDetail[], fieldOf: (path: string) => F | ''): Partial<Record<F | '', string>> {
  const errors: Partial<Record<F | '', string>> = {};
  for (const detail of details) {
    const field = fieldOf(detail.path);
    const text = detailInWords(detail);
    const known = errors[field];
    errors[field] = known && known !== text ? `${known}；${text}` : text;
  }
  return errors;
}
