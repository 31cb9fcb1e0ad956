// The mayor's mailbox form (市长信箱). The checks mirror the server's (api/public/public.schema.ts)
// so that a citizen learns about a mistake before sending; the server checks again regardless.

const PRINTABLE = /^(?:[^\p{Cc}]|[\t\n\r])*$/u;
const PHONE = /^\+?[\d\s-]{5,20}$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const TYPES = new Set(['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise', 'petition']);

/** Field rules: required, length bounds after trimming, and a format check. */
const FIELDS = [
  { name: 'name', label: '姓名', max: 50 },
  { name: 'phone', label: '联系电话', required: true, check: (v) => (PHONE.test(v) ? '' : '请填写正确的手机号或固定电话，如 13812345678 或 0539-8123456。') },
  { name: 'email', label: '电子邮箱', max: 254, check: (v) => (EMAIL.test(v) ? '' : '电子邮箱格式不正确，如 name@example.com。') },
  { name: 'type', label: '诉求类型', check: (v) => (TYPES.has(v) ? '' : '请选择诉求类型。') },
  { name: 'address', label: '事发地址', max: 200 },
  { name: 'title', label: '标题', required: true, min: 2, max: 100 },
  { name: 'content', label: '内容', required: true, min: 5, max: 5000 },
];

const REQUIRED_TEXT = {
  phone: '请填写联系电话（手机号或固定电话）。',
  title: '请填写标题。',
  content: '请填写内容。',
};

const byId = (id) => document.getElementById(id);

function validateField(rule, value) {
  if (!value) return rule.required ? REQUIRED_TEXT[rule.name] : '';
  if (!PRINTABLE.test(value)) return `${rule.label}含有无法识别的字符，请删除后重试。`;
  if (rule.min && value.length < rule.min) return `${rule.label}至少${rule.min}个字。`;
  if (rule.max && value.length > rule.max) return `${rule.label}不能超过${rule.max}个字（现有${value.length}个字）。`;
  return rule.check ? rule.check(value) : '';
}

function setFieldError(name, message) {
  const input = byId(name);
  byId(`${name}-error`).textContent = message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function setMessage(text, kind = 'error') {
  const message = byId('form-message');
  message.textContent = text;
  message.className = `message ${kind}`;
}

/** The trimmed values; empty optional fields are left out (the server refuses empty strings). */
function readForm() {
  const values = {};
  for (const rule of FIELDS) {
    const value = byId(rule.name).value.trim();
    if (value) values[rule.name] = value;
  }
  return values;
}

/** Shows every field's message; returns the first invalid field, or null. */
function validate(values) {
  let first = null;
  for (const rule of FIELDS) {
    const error = validateField(rule, values[rule.name] ?? '');
    setFieldError(rule.name, error);
    if (error && !first) first = rule.name;
  }
  return first;
}

/** Server validation details (`body.phone`, …) back onto the fields they name. */
function showServerDetails(details) {
  let first = null;
  for (const detail of details) {
    const field = String(detail.path ?? '').split('.').find((part) => FIELDS.some((f) => f.name === part));
    if (!field) continue;
    const rule = FIELDS.find((f) => f.name === field);
    const local = validateField(rule, byId(field).value.trim());
    setFieldError(field, local || `${rule.label}不符合要求，请检查后重新填写。`);
    if (!first) first = field;
  }
  return first;
}

/** Minutes to wait, in words, from the Retry-After the server gave with a 429. */
function waitInWords(seconds) {
  if (!seconds) return '请稍后再试';
  if (seconds < 120) return `请${seconds}秒后再试`;
  if (seconds < 7200) return `请${Math.ceil(seconds / 60)}分钟后再试`;
  return `请${Math.ceil(seconds / 3600)}小时后再试`;
}

function describeFailure(status, body, retryAfter) {
  if (status === 0) return '网络连接失败，请检查网络后重新提交。您填写的内容仍保留在页面上。';
  const detail = Array.isArray(body?.error?.details) ? body.error.details[0] : undefined;
  if (status === 429 && detail?.message === 'phone cap') return `该电话号码近期来信已达上限，${waitInWords(retryAfter)}，或拨打12345热线反映。`;
  if (status === 429 && detail?.message === 'global cap') return `当前来信过多，信箱暂停受理，${waitInWords(retryAfter)}，或拨打12345热线反映。`;
  if (status === 429) return '操作过于频繁，请稍后再试。';
  if (status === 428) return '当前来信较多，请输入验证码后再提交。';
  if (body?.error?.code === 'captcha_invalid') return '验证码不正确或已失效，请看新的图片重新输入。';
  if (status === 400) return '填写的内容不符合要求，请按提示修改后重新提交。';
  if (status === 413) return '内容过长，请精简后重新提交。';
  if (status >= 500) return '系统繁忙，请稍后再试。您填写的内容仍保留在页面上。';
  return '提交未成功，请稍后再试。';
}

async function send(values) {
  let res;
  try {
    res = await fetch('/api/public/mailbox', {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(values),
      cache: 'no-store',
    });
  } catch {
    return { status: 0, body: null };
  }
  // An error page from a proxy is not JSON: the status alone then says what happened.
  const body = await res.json().catch(() => null);
  return { status: res.status, body, retryAfter: Number(res.headers.get('retry-after')) || 0 };
}

/** The challenge on show: its id is sent back with the answer. */
let challengeId = null;

/** Shows a new captcha picture; each one can be tried once, so a refusal always brings a new one. */
async function loadCaptcha() {
  byId('captcha-field').hidden = false;
  byId('captcha').value = '';
  challengeId = null;
  try {
    const res = await fetch('/api/public/mailbox/captchas', { method: 'POST', headers: { accept: 'application/json' }, cache: 'no-store' });
    const body = await res.json();
    if (res.status !== 201 || typeof body?.image !== 'string' || !body.image.startsWith('data:image/svg+xml')) throw new Error(String(res.status));
    challengeId = body.challengeId;
    byId('captcha-image').src = body.image;
  } catch {
    setFieldError('captcha', '验证码加载失败，请点“换一张”重试。');
  }
}

function showReceipt(caseNo, queryCode, link) {
  byId('receipt-case-no').textContent = caseNo;
  byId('receipt-code').textContent = queryCode;
  // The signed link token opens the case even while others' wrong codes have it locked.
  const params = typeof link === 'string' && /^[A-Za-z0-9_-]{22}$/.test(link) ? { caseNo, code: queryCode, link } : { caseNo, code: queryCode };
  byId('receipt-link').href = `/?${new URLSearchParams(params)}`;
  byId('compose').hidden = true;
  byId('receipt').hidden = false;
  byId('receipt-title').focus();
}

async function onSubmit(event) {
  event.preventDefault();
  const values = readForm();
  const invalid = validate(values);
  if (invalid) {
    setMessage('请按提示修改标红的项目。');
    byId(invalid).focus();
    return;
  }
  const answer = byId('captcha').value.trim();
  if (challengeId) {
    if (!answer) {
      setFieldError('captcha', '请输入图中的字符。');
      setMessage('请按提示修改标红的项目。');
      byId('captcha').focus();
      return;
    }
    values.captcha = { challengeId, answer };
  }
  const button = byId('submit-button');
  button.disabled = true;
  setMessage('正在提交…', 'info');
  try {
    const { status, body, retryAfter } = await send(values);
    if (status === 201 && body?.caseNo && body?.queryCode) {
      setMessage('', 'info');
      hideCaptcha();
      showReceipt(String(body.caseNo), String(body.queryCode), body.link);
      return;
    }
    const code = body?.error?.code;
    if (code === 'captcha_required' || code === 'captcha_invalid') {
      await loadCaptcha();
      setFieldError('captcha', code === 'captcha_invalid' ? '验证码不正确或已失效，请输入新图片中的字符。' : '请输入图中的字符。');
      setMessage(describeFailure(status, body, retryAfter));
      byId('captcha').focus();
      return;
    }
    // Any other answer spent the challenge, or never looked at it: the next try shows a new one.
    if (challengeId) await loadCaptcha();
    const details = Array.isArray(body?.error?.details) ? body.error.details : [];
    const field = status === 400 ? showServerDetails(details) : null;
    setMessage(describeFailure(status, body, retryAfter));
    if (field) byId(field).focus();
  } finally {
    button.disabled = false;
  }
}

function updateCounter() {
  const length = byId('content').value.trim().length;
  byId('content-counter').textContent = `${length} / 5000`;
}

function onFieldChange(event) {
  const rule = FIELDS.find((f) => f.name === event.target.id);
  // Once a field has been flagged, its message follows the citizen's corrections.
  if (rule && event.target.getAttribute('aria-invalid') === 'true') setFieldError(rule.name, validateField(rule, event.target.value.trim()));
}

function hideCaptcha() {
  challengeId = null;
  byId('captcha').value = '';
  setFieldError('captcha', '');
  byId('captcha-field').hidden = true;
}

function writeAgain() {
  byId('mailbox-form').reset();
  updateCounter();
  setMessage('', 'info');
  byId('receipt').hidden = true;
  byId('compose').hidden = false;
  byId('name').focus();
}

byId('mailbox-form').addEventListener('submit', onSubmit);
byId('mailbox-form').addEventListener('input', onFieldChange);
byId('content').addEventListener('input', updateCounter);
byId('write-again').addEventListener('click', writeAgain);
byId('captcha-refresh').addEventListener('click', () => {
  setFieldError('captcha', '');
  void loadCaptcha().then(() => byId('captcha').focus());
});
updateCounter();
