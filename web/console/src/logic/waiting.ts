/** Why the routing left a case to the centre: it keeps such requests, its words and classifier disagreed, or nothing was sure. */
export type Waiting = 'kept' | 'disputed' | 'unsure';

/** The same reason as the desk's preview says it and as 派单中心's 来由 column says it. */
export const WAITING_REASONS: Readonly<Record<Waiting, { readonly preview: string; readonly queue: string }>> = {
  kept: { preview: '中心留办：此类诉求通常由中心答复，可当场答复', queue: '中心留办类诉求' },
  disputed: { preview: '派单目录关键词与同类诉求的派单经验不一致，进入中心人工派单', queue: '目录关键词与派单经验不一致' },
  unsure: { preview: '无规则命中，进入中心人工派单', queue: '无规则命中' },
};

/** The reason of a routing answer (`routing.kept`, `routing.disputed`) or of a queue row (`waiting`). */
export function waitingOf(routing: { readonly kept?: boolean; readonly disputed?: boolean }): Waiting {
  if (routing.kept) return 'kept';
  return routing.disputed ? 'disputed' : 'unsure';
}
