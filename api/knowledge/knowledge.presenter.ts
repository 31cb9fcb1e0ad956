import type { KnowledgeArticle, KnowledgeVersion } from '../../models/knowledge/knowledge.repository.js';
import { isValidOn } from '../../models/knowledge/ranking.js';

const VALIDITY_LABELS = { in_force: '有效', expired: '已失效', upcoming: '未生效', archived: '已归档' } as const;

/** Where an article stands on `today`: archived, in force, not yet in force, or no longer. */
function validityOf(article: KnowledgeArticle, today: string): keyof typeof VALIDITY_LABELS {
  if (article.archived) return 'archived';
  if (isValidOn(article, today)) return 'in_force';
  return article.validFrom > today ? 'upcoming' : 'expired';
}

/** An article as the API answers it, with its validity as of `today`. */
export function presentArticle(article: KnowledgeArticle, today: string): Record<string, unknown> {
  const validity = validityOf(article, today);
  return {
    ...article,
    validity,
    validityLabel: VALIDITY_LABELS[validity],
    createdAt: article.createdAt.toISOString(),
    updatedAt: article.updatedAt.toISOString(),
  };
}

/** One version of an article's history. */
export function presentVersion(version: KnowledgeVersion): Record<string, unknown> {
  return { ...version, changedAt: version.changedAt.toISOString() };
}
