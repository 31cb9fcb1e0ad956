/** A knowledge-base article as the desk's search lists it (GET /api/knowledge/search). */
export interface KnowledgeHit {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly unitName: string;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly validityLabel: string;
}

/** The article's validity in words: 2026-01-01 至 2026-12-31, or 2026-01-01 起长期有效. */
export function validityText(article: Pick<KnowledgeHit, 'validFrom' | 'validTo'>): string {
  return article.validTo ? `${article.validFrom} 至 ${article.validTo}` : `${article.validFrom} 起长期有效`;
}

/** The answer the dialog starts from: the picked articles' bodies, in the order they were picked. */
export function answerFrom(picked: readonly Pick<KnowledgeHit, 'body'>[]): string {
  return picked.map((a) => a.body.trim()).join('\n\n');
}

/** Adds or removes an article from the picked ones, keeping the order of picking. */
export function togglePicked<T extends { readonly id: string }>(picked: readonly T[], article: T): T[] {
  return picked.some((a) => a.id === article.id) ? picked.filter((a) => a.id !== article.id) : [...picked, article];
}
