import type { Citizen } from '../../cases/case.js';
import { normalizeText } from '../../../routing-rules/segmenter.js';

/** Two cases from one caller at least this similar (character bigrams) are likely duplicates. */
export const DUPLICATE_SIMILARITY = 0.8;
/** ... when received at most this many days apart. */
export const DUPLICATE_WINDOW_DAYS = 7;

/**
 * The character bigrams of a text, punctuation and spacing removed: Chinese needs no segmentation
 * for this, and a changed character or a reworded clause costs only the bigrams it touches.
 */
export function characterBigrams(text: string): Set<string> {
  const chars = [...normalizeText(text).replace(/[^\p{L}\p{N}]/gu, '')];
  const bigrams = new Set<string>();
  if (chars.length === 1) bigrams.add(chars[0] ?? '');
  for (let i = 0; i + 1 < chars.length; i += 1) bigrams.add(`${chars[i]}${chars[i + 1]}`);
  return bigrams;
}

/** 2|A ∩ B| / (|A| + |B|) (Sørensen–Dice); two empty sets are identical. */
export function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}

/**
 * How alike two case texts are, 0..1: the Dice coefficient of their character bigrams. Dice
 * rather than Jaccard: two 30-character texts differing by a particle or two (的, 了) score about
 * 0.88 instead of 0.79, while texts about different matters stay near 0.
 */
export function textSimilarity(a: string, b: string): number {
  return dice(characterBigrams(a), characterBigrams(b));
}

/** The text compared for duplicates: title and content as the caller gave them. */
export function caseText(title: string | null, content: string): string {
  return title ? `${title}\n${content}` : content;
}

/**
 * Who called, as a key to match a caller's cases: the phone number's digits (a leading 86/0086
 * country code dropped), else the account on a social channel. Null when neither is known.
 */
export function callerKey(channel: string, citizen: Pick<Citizen, 'phone' | 'channelUserId'>): string | null {
  const digits = (citizen.phone ?? '').replace(/\D/g, '').replace(/^(?:0086|86)(?=1\d{10}$)/, '');
  if (digits.length >= 5) return `phone:${digits}`;
  const account = citizen.channelUserId?.trim();
  return account ? `${channel}:${account}` : null;
}
