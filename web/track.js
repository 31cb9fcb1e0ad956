// The citizen's case page: look a case up by number + query code, follow it live over Socket.IO,
// chase it (催办) while it is open and rate it once it is replied. Every piece of case data is
// citizen input or derived from it, so it is only ever written with textContent.

const OPEN_STATUSES = new Set(['registered', 'dispatched', 'in_progress', 'returned']);
const CASE_NO_PATTERN = /^\d{15,20}$/;
const CODE_PATTERN = /^\d{6}$/;
// The signed link token of a receipt: it opens a case locked by others' wrong codes (docs/security.md).
const LINK_PATTERN = /^[A-Za-z0-9_-]{22}$/;
// As the server checks them (api/public/public.schema.ts).
const REASON_MIN = 2;
const REASON_MAX = 500;
const COMMENT_MAX = 1000;
const PRINTABLE = /^(?:[^\p{Cc}]|[\t\n\r])*$/u;
const REFRESH_DELAY_MS = 300;
const TRACK_TIMEOUT_MS = 10_000;
const RETRACK_AFTER_RATE_LIMIT_MS = 30_000;

const CONNECTION_TEXT = {
  idle: '未连接',
  connecting: '正在连接实时更新…',
  connected: '实时更新中',
  reconnecting: '连接中断，正在重新连接…',
  offline: '实时更新不可用，请刷新页面查看最新进度',
};

const SATISFACTION_DONE = {
  satisfied: '感谢您的评价（满意），诉求已办结。',
  basically_satisfied: '感谢您的评价（基本满意），诉求已办结。',
  dissatisfied: '已收到您的评价（不满意），诉求已退回承办单位重新办理，请留意办理进度。',
};

const timeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const byId = (id) => document.getElementById(id);

const state = {
  caseNo: null,
  code: null,
  /** The receipt's link token, for the case it was issued for only. */
  link: null,
  view: null,
  /** Public events by id: pushes, catch-ups and full views merge here without duplicates. */
  events: new Map(),
  /** Ids already drawn, so that only new timeline entries are highlighted. */
  drawn: new Set(),
  socket: null,
  refreshTimer: null,
  retrackTimer: null,
};

class ApiError extends Error {
  constructor(status, code, details) {
    super(code);
    this.status = status;
    this.code = code;
    this.details = Array.isArray(details) ? details : [];
  }
}

/** The citizen's credentials as a request carries them: the code, and the link token when there is one. */
function credentials() {
  return state.link ? { code: state.code, link: state.link } : { code: state.code };
}

/** The credentials as a query string. */
function credentialQuery() {
  return new URLSearchParams(credentials()).toString();
}

async function api(method, path, body) {
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  // An error page from a proxy is not JSON: the status alone then says what happened.
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? `http_${res.status}`, data?.error?.details);
  return data;
}

/** A Chinese sentence for a failed request; `conflict` says what a 409 means for this action. */
function describeError(error, conflict = '当前状态不能进行此操作，请刷新页面后查看。') {
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 0) return '网络连接失败，请检查网络后重试。';
  if (status === 404) return '编号或查询码不正确，请核对后重新输入。';
  if (status === 429) return '操作过于频繁，请稍后再试。';
  if (status === 409) return conflict;
  if (status === 400 || status === 413) return '填写的内容不符合要求，请检查后重试。';
  if (status >= 500) return '系统繁忙，请稍后再试。';
  return '操作未成功，请稍后再试。';
}

function casePath(suffix = '') {
  return `/api/public/cases/${encodeURIComponent(state.caseNo)}${suffix}`;
}

function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : timeFormat.format(date);
}

/** A limit ending at midnight reads as 24:00 of its last day (2026/11/30 24:00), as notices write it. */
function formatDeadline(iso) {
  const shown = formatTime(iso);
  if (!shown.endsWith(' 00:00')) return shown;
  const lastMinute = new Date(new Date(iso).getTime() - 60_000);
  return `${formatTime(lastMinute.toISOString()).slice(0, -6)} 24:00`;
}

/** Citizens type on phones: full-width digits and stray spaces are accepted. */
function normaliseDigits(value) {
  return value.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[\s-]/g, '');
}

function setFieldError(input, message) {
  const error = byId(`${input.id}-error`);
  if (error) error.textContent = message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function setMessage(element, text, kind = 'error') {
  element.textContent = text;
  element.className = `message ${kind}`;
}

function announce(text) {
  const live = byId('live');
  live.textContent = '';
  // A new text node after a tick makes screen readers read a repeated announcement again.
  setTimeout(() => {
    live.textContent = text;
  }, 50);
}

function setConnection(kind) {
  const indicator = byId('connection');
  indicator.dataset.state = kind;
  indicator.textContent = CONNECTION_TEXT[kind];
}

// ---- events and rendering ------------------------------------------------------------------

function eventOrder(a, b) {
  const byTime = Date.parse(a.at) - Date.parse(b.at);
  return byTime !== 0 && !Number.isNaN(byTime) ? byTime : Number(a.id) - Number(b.id);
}

function sortedEvents() {
  return [...state.events.values()].sort(eventOrder);
}

function newestEvent() {
  const events = sortedEvents();
  return events[events.length - 1] ?? null;
}

function addEvent(event) {
  if (!event || event.id === undefined || event.id === null) return false;
  const key = String(event.id);
  if (state.events.has(key)) return false;
  state.events.set(key, event);
  return true;
}

/**
 * Takes a full public view. A view fetched before a push arrived may be older than the timeline
 * already shown: the status always follows the newest event known.
 */
function applyView(view) {
  for (const event of view.events ?? []) addEvent(event);
  const viewNewest = (view.events ?? []).reduce((max, e) => Math.max(max, Number(e.id)), -Infinity);
  const newest = newestEvent();
  const stale = newest && Number(newest.id) > viewNewest && newest.status;
  state.view = stale ? { ...view, status: newest.status, statusLabel: newest.statusLabel ?? view.statusLabel } : view;
  render();
}

function text(id, value) {
  byId(id).textContent = value === null || value === undefined || value === '' ? '—' : String(value);
}

function tag(label, kind) {
  const span = document.createElement('span');
  span.className = `tag ${kind}`;
  span.textContent = label;
  return span;
}

function render() {
  const view = state.view;
  if (!view) return;
  text('case-no-shown', view.caseNo);

  const badge = byId('status');
  if (badge.dataset.status && badge.dataset.status !== view.status) {
    // What the forms said belongs to the previous state.
    for (const id of ['escalate-message', 'rate-message', 'review-message']) setMessage(byId(id), '', 'ok');
    badge.classList.remove('flash');
    // Restart the highlight animation on every change.
    void badge.offsetWidth;
    badge.classList.add('flash');
  }
  badge.dataset.status = view.status ?? '';
  badge.textContent = view.statusLabel ?? view.status ?? '—';

  text('case-type', view.typeLabel);
  text('case-title-text', view.title);
  text('case-division', view.division?.name);
  text('case-unit', view.assignedUnit?.name ?? (view.status === 'registered' || view.status === 'returned' ? '待分派' : null));

  const deadlines = view.deadlines ?? {};
  const showAccept = view.status === 'dispatched' && Boolean(deadlines.acceptBy);
  byId('accept-by-label').hidden = !showAccept;
  byId('accept-by').hidden = !showAccept;
  text('accept-by', formatDeadline(deadlines.acceptBy));
  const replyBy = byId('reply-by');
  replyBy.textContent = deadlines.replyBy ? formatDeadline(deadlines.replyBy) : '—';
  const open = OPEN_STATUSES.has(view.status);
  // For an answered case the flag says whether the answer came late.
  if (deadlines.overdue) replyBy.append(tag(open ? '已超期' : '超期答复', 'overdue'));
  // The time a third party takes to answer is not counted (《政府信息公开条例》 art. 32), like a 补正.
  if (deadlines.paused && deadlines.pauseReason === 'third_party') {
    const until = deadlines.thirdPartyAnswerBy ? `，第三方应于${formatDeadline(deadlines.thirdPartyAnswerBy)}前提出意见` : '';
    replyBy.append(tag(`征求第三方意见中，暂停计时${until}`, 'paused'));
  } else if (deadlines.paused) replyBy.append(tag('补正中', 'paused'));

  byId('case-content').textContent = view.content ?? '';

  const hasReply = Boolean(view.reply);
  byId('reply-section').hidden = !hasReply;
  byId('reply').textContent = view.reply ?? '';
  byId('replied-at').textContent = view.repliedAt ? `答复时间：${formatTime(view.repliedAt)}` : '';

  renderPetition(view.petition);
  renderTimeline();

  byId('escalate').hidden = !open;
  byId('rate').hidden = view.status !== 'replied';
}

/** A petition's procedure: the office's decision, where a matter not accepted belongs, the reviews asked, and the review form. */
function renderPetition(petition) {
  const shown = Boolean(petition);
  byId('petition-label').hidden = !shown;
  byId('petition').hidden = !shown;
  const next = shown && petition.canReview ? (petition.reviewLevel === 0 ? '复查' : '复核') : null;
  byId('review').hidden = !next;
  if (!shown) return;
  const parts = [petition.decisionLabel];
  if (petition.properChannelLabel) parts.push(`请通过${petition.properChannelLabel}途径解决`);
  if (petition.reviewLevel > 0) parts.push(`已申请${petition.reviewLabel}`);
  if (petition.concluded) parts.push('信访事项已终结');
  text('petition', parts.join('；'));
  if (next) {
    byId('review-title').textContent = `申请${next}`;
    byId('review-button').textContent = `申请${next}`;
  }
}

function renderTimeline() {
  const list = byId('timeline');
  const items = sortedEvents().map((event) => {
    const li = document.createElement('li');
    const key = String(event.id);
    if (state.drawn.size > 0 && !state.drawn.has(key)) li.className = 'new';
    li.dataset.eventId = key;

    const when = document.createElement('time');
    when.className = 'when';
    when.dateTime = event.at ?? '';
    when.textContent = formatTime(event.at);

    const what = document.createElement('span');
    what.className = 'what';
    what.textContent = event.label ?? event.action ?? '';
    li.append(when, what);

    if (event.statusLabel) {
      const to = document.createElement('span');
      to.className = 'to';
      to.textContent = `（${event.statusLabel}）`;
      li.append(to);
    }
    if (event.note && event.note !== event.label) {
      const note = document.createElement('span');
      note.className = 'note';
      note.textContent = event.note;
      li.append(note);
    }
    return li;
  });
  list.replaceChildren(...items);
  for (const event of state.events.values()) state.drawn.add(String(event.id));
}

// ---- fetching ----------------------------------------------------------------------------------

/** Fetches the full view again (reply, unit and deadlines are not in the pushed events). */
function scheduleRefresh() {
  clearTimeout(state.refreshTimer);
  const caseNo = state.caseNo;
  state.refreshTimer = setTimeout(async () => {
    try {
      const view = await api('GET', `${casePath()}?${credentialQuery()}`);
      if (state.caseNo === caseNo) applyView(view);
    } catch {
      // The pushed status is already shown; the next push or reconnect fetches again.
    }
  }, REFRESH_DELAY_MS);
}

/** After a (re)connect: whatever happened while the socket was away, from the REST catch-up. */
async function catchUp() {
  const newest = newestEvent();
  if (!newest) return;
  const caseNo = state.caseNo;
  try {
    const data = await api('GET', `${casePath('/events')}?${credentialQuery()}&after=${encodeURIComponent(newest.id)}`);
    if (state.caseNo !== caseNo) return;
    const added = (data?.items ?? []).filter(addEvent);
    if (added.length === 0) return;
    const latest = newestEvent();
    if (latest?.status) state.view = { ...state.view, status: latest.status, statusLabel: latest.statusLabel ?? state.view.statusLabel };
    render();
    announce(`办理进度已更新：${state.view.statusLabel ?? ''}`);
    scheduleRefresh();
  } catch {
    // The track acknowledgement already carried the current view.
  }
}

// ---- live updates ------------------------------------------------------------------------------

function onCaseUpdate(message) {
  if (!message || message.caseNo !== state.caseNo || !state.view) return;
  const isNew = addEvent(message.event);
  if (!isNew && message.event) return;
  const newest = newestEvent();
  const current = !message.event || String(newest?.id) === String(message.event.id);
  if (current && message.status) {
    state.view = { ...state.view, status: message.status, statusLabel: message.statusLabel ?? state.view.statusLabel };
  }
  render();
  const what = message.event?.label ? `${message.event.label}，` : '';
  announce(`办理进度已更新：${what}当前状态${state.view.statusLabel ?? ''}`);
  scheduleRefresh();
}

function track(socket) {
  clearTimeout(state.retrackTimer);
  socket.timeout(TRACK_TIMEOUT_MS).emit('track', { caseNo: state.caseNo, ...credentials() }, (timeout, ack) => {
    if (state.socket !== socket) return;
    if (timeout) {
      // No answer: start over with a fresh connection, which tracks again on connect.
      setConnection('reconnecting');
      socket.disconnect().connect();
      return;
    }
    if (ack?.ok) {
      setConnection('connected');
      if (ack.case) applyView(ack.case);
      catchUp();
      return;
    }
    if (ack?.error?.code === 'rate_limited') {
      setConnection('reconnecting');
      state.retrackTimer = setTimeout(() => socket.connected && track(socket), RETRACK_AFTER_RATE_LIMIT_MS);
      return;
    }
    setConnection('offline');
    socket.disconnect();
  });
}

function disconnectLive() {
  clearTimeout(state.retrackTimer);
  if (state.socket) {
    state.socket.removeAllListeners();
    state.socket.disconnect();
    state.socket = null;
  }
}

function connectLive() {
  disconnectLive();
  if (typeof window.io !== 'function') {
    setConnection('offline');
    return;
  }
  setConnection('connecting');
  // WebSocket first: no sticky sessions needed behind a load balancer; long-polling as a fallback.
  const socket = window.io({ transports: ['websocket', 'polling'], tryAllTransports: true });
  state.socket = socket;
  socket.on('connect', () => track(socket));
  socket.on('case:update', onCaseUpdate);
  socket.on('connect_error', () => {
    if (state.socket === socket && !socket.active) setConnection('offline');
    else if (state.socket === socket) setConnection('reconnecting');
  });
  socket.on('disconnect', (reason) => {
    if (state.socket !== socket) return;
    setConnection('reconnecting');
    // The server ended the session (e.g. a restart): Socket.IO does not reconnect on its own then.
    if (reason === 'io server disconnect') socket.connect();
  });
}

// ---- lookup ----------------------------------------------------------------------------------

function showCase(visible) {
  byId('case').hidden = !visible;
  if (!visible) {
    byId('escalate').hidden = true;
    byId('rate').hidden = true;
    byId('review').hidden = true;
  }
}

async function lookup(caseNo, code, { focus, link = null }) {
  const button = byId('lookup-button');
  const message = byId('lookup-message');
  button.disabled = true;
  setMessage(message, '正在查询…', 'info');
  try {
    const query = new URLSearchParams(link ? { code, link } : { code }).toString();
    const view = await api('GET', `/api/public/cases/${encodeURIComponent(caseNo)}?${query}`);
    disconnectLive();
    state.caseNo = caseNo;
    state.code = code;
    state.link = link;
    state.events = new Map();
    state.drawn = new Set();
    byId('status').dataset.status = '';
    for (const id of ['notice', 'escalate-message', 'rate-message']) setMessage(byId(id), '', 'ok');
    applyView(view);
    setMessage(message, '', 'info');
    showCase(true);
    const url = new URL(window.location.href);
    url.search = new URLSearchParams(link ? { caseNo, code, link } : { caseNo, code }).toString();
    window.history.replaceState(null, '', url);
    connectLive();
    if (focus) byId('case-title').focus();
  } catch (error) {
    disconnectLive();
    state.view = null;
    showCase(false);
    setMessage(message, describeError(error), 'error');
  } finally {
    button.disabled = false;
  }
}

function onLookupSubmit(event) {
  event.preventDefault();
  const caseNoInput = byId('case-no');
  const codeInput = byId('query-code');
  const caseNo = normaliseDigits(caseNoInput.value);
  const code = normaliseDigits(codeInput.value);
  const caseNoError = !caseNo ? '请输入受理编号。' : CASE_NO_PATTERN.test(caseNo) ? '' : '受理编号应为15至20位数字。';
  const codeError = !code ? '请输入查询码。' : CODE_PATTERN.test(code) ? '' : '查询码应为6位数字。';
  setFieldError(caseNoInput, caseNoError);
  setFieldError(codeInput, codeError);
  if (caseNoError || codeError) {
    setMessage(byId('lookup-message'), '', 'error');
    (caseNoError ? caseNoInput : codeInput).focus();
    return;
  }
  caseNoInput.value = caseNo;
  codeInput.value = code;
  lookup(caseNo, code, { focus: true });
}

// ---- citizen actions -------------------------------------------------------------------------

function fieldFromDetails(details, field) {
  return details.some((d) => String(d.path ?? '').split('.').includes(field));
}

async function onEscalateSubmit(event) {
  event.preventDefault();
  const reasonInput = byId('escalate-reason');
  const message = byId('escalate-message');
  const reason = reasonInput.value.trim();
  const error = !reason
    ? '请填写催办理由。'
    : reason.length < REASON_MIN
      ? `催办理由至少${REASON_MIN}个字。`
      : reason.length > REASON_MAX
        ? `催办理由不能超过${REASON_MAX}字。`
        : PRINTABLE.test(reason)
          ? ''
          : '催办理由含有无法识别的字符，请删除后重试。';
  setFieldError(reasonInput, error);
  if (error) {
    setMessage(message, '', 'error');
    reasonInput.focus();
    return;
  }
  const button = byId('escalate-button');
  button.disabled = true;
  setMessage(message, '正在提交催办…', 'info');
  try {
    await api('POST', casePath('/escalations'), { ...credentials(), reason });
    reasonInput.value = '';
    setMessage(message, '催办已提交，承办单位将尽快办理。24小时内可再次催办。', 'ok');
    scheduleRefresh();
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 400 && fieldFromDetails(failure.details, 'reason')) {
      setFieldError(reasonInput, `催办理由不符合要求（${REASON_MIN}至${REASON_MAX}字）。`);
    }
    setMessage(message, describeError(failure, '24小时内已催办过，或诉求当前状态不能催办。'), 'error');
  } finally {
    button.disabled = false;
  }
}

async function onRateSubmit(event) {
  event.preventDefault();
  const form = byId('rate-form');
  const message = byId('rate-message');
  const choice = form.querySelector('input[name="satisfaction"]:checked');
  const commentInput = byId('rate-comment');
  const comment = commentInput.value.trim();
  const choiceError = choice ? '' : '请选择满意度。';
  const commentError = comment.length > COMMENT_MAX
    ? `评价意见不能超过${COMMENT_MAX}字。`
    : PRINTABLE.test(comment)
      ? ''
      : '评价意见含有无法识别的字符，请删除后重试。';
  byId('satisfaction-error').textContent = choiceError;
  setFieldError(commentInput, commentError);
  if (choiceError || commentError) {
    setMessage(message, '', 'error');
    if (choiceError) form.querySelector('input[name="satisfaction"]').focus();
    else commentInput.focus();
    return;
  }
  const button = byId('rate-button');
  button.disabled = true;
  setMessage(message, '正在提交评价…', 'info');
  const body = { ...credentials(), satisfaction: choice.value };
  if (comment) body.comment = comment;
  try {
    const view = await api('POST', casePath('/rating'), body);
    form.reset();
    setMessage(message, '', 'ok');
    if (view && view.caseNo) applyView(view);
    else scheduleRefresh();
    const notice = byId('notice');
    setMessage(notice, SATISFACTION_DONE[body.satisfaction], 'ok');
    notice.focus();
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 400 && fieldFromDetails(failure.details, 'comment')) {
      setFieldError(commentInput, `评价意见不符合要求（不超过${COMMENT_MAX}字）。`);
    }
    setMessage(message, describeError(failure, '诉求当前状态不能评价，请刷新页面后查看。'), 'error');
  } finally {
    button.disabled = false;
  }
}

async function onReviewSubmit(event) {
  event.preventDefault();
  const reasonInput = byId('review-reason');
  const message = byId('review-message');
  const reason = reasonInput.value.trim();
  const error = reason.length < REASON_MIN
    ? `申请理由至少${REASON_MIN}个字。`
    : reason.length > REASON_MAX
      ? `申请理由不能超过${REASON_MAX}字。`
      : PRINTABLE.test(reason)
        ? ''
        : '申请理由含有无法识别的字符，请删除后重试。';
  setFieldError(reasonInput, error);
  if (error) {
    setMessage(message, '', 'error');
    reasonInput.focus();
    return;
  }
  const button = byId('review-button');
  button.disabled = true;
  setMessage(message, '正在提交申请…', 'info');
  try {
    const view = await api('POST', casePath('/review'), { ...credentials(), reason });
    reasonInput.value = '';
    setMessage(message, '', 'ok');
    if (view && view.caseNo) applyView(view);
    else scheduleRefresh();
    const notice = byId('notice');
    setMessage(notice, '申请已提交，上一级机关将在30日内作出意见并书面答复您。', 'ok');
    notice.focus();
  } catch (failure) {
    const final = failure instanceof ApiError && failure.code === 'final';
    setMessage(message, final ? '该信访事项已终结，不再受理复查、复核申请。' : describeError(failure, '已超过申请期限，或诉求当前状态不能申请。'), 'error');
  } finally {
    button.disabled = false;
  }
}

// ---- start -------------------------------------------------------------------------------------

function start() {
  byId('lookup-form').addEventListener('submit', onLookupSubmit);
  byId('escalate-form').addEventListener('submit', onEscalateSubmit);
  byId('rate-form').addEventListener('submit', onRateSubmit);
  byId('review-form').addEventListener('submit', onReviewSubmit);
  // A link from an SMS or a receipt: /?caseNo=…&code=…&link=…
  const params = new URLSearchParams(window.location.search);
  const caseNo = normaliseDigits(params.get('caseNo') ?? '');
  const code = normaliseDigits(params.get('code') ?? '');
  const link = params.get('link') ?? '';
  if (caseNo) byId('case-no').value = caseNo;
  if (code) byId('query-code').value = code;
  if (CASE_NO_PATTERN.test(caseNo) && CODE_PATTERN.test(code)) lookup(caseNo, code, { focus: false, link: LINK_PATTERN.test(link) ? link : null });
}

start();
