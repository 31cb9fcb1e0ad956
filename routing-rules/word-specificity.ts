import { idf as idfDictionary } from '@node-rs/jieba/dict.js';

let cached: ((word: string) => number) | undefined;

/**
 * jieba's inverse document frequency of a word, read once per process: the higher, the rarer the
 * word in general text and so the more it says about what a text is about (低保 10.4, 高速 6.6).
 */
export function jiebaIdf(): (word: string) => number {
  if (cached) return cached;
  const weights = new Map<string, number>();
  for (const line of Buffer.from(idfDictionary).toString('utf8').split('\n')) {
    const space = line.lastIndexOf(' ');
    if (space > 0) weights.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  // jieba's own keyword extraction gives words missing from the table the median weight.
  const sorted = [...weights.values()].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  cached = (word) => weights.get(word) ?? median;
  return cached;
}
