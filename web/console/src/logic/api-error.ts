/** An error answered by the API in its one format: { error: { code, message, details? } }. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly { path: string; message: string; type?: string }[] = [],
  ) {
    super(message);
  }
}

const BY_CODE: Readonly<Record<string, string>> = {
  invalid_state: '工单状态已经变化（可能已被他人处理），此操作不再可行。页面已刷新。',
  arbitrated: '12345热线已仲裁由本单位办理，不能再以管辖为由退回或提出异议。',
  conflict: '工单已被他人更新，您看到的不是最新内容。页面已刷新，请核对后重试。',
  forbidden: '您没有权限进行此操作。',
  not_found: '找不到该工单，或您无权查看。',
  rate_limited: '操作过于频繁，请稍后再试。',
  unauthenticated: '登录已失效，请重新登录。',
  validation_failed: '填写的内容不符合要求，请检查后重试。',
};

/** An API error in words for the person at the screen. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const known = BY_CODE[error.code] ?? (error.status === 409 ? BY_CODE.conflict : undefined);
    const detail = error.details.length ? `（${error.details.map((d) => d.message).join('；')}）` : '';
    return known ? `${known}${detail}` : `操作失败：${error.message}${detail}`;
  }
  return '无法连接服务器，请检查网络后重试。';
}
