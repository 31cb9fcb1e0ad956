import { linyiPlaceWords } from './gazetteer.js';

/**
 * The tokens the learned model sees: words of two characters or more with a letter, less place
 * names, since the model's labels are relative to the case's place and a township's name must not
 * teach it anything about what kind of matter a case is.
 */
export function modelTokens(tokens: readonly string[]): string[] {
  const places = linyiPlaceWords();
  return tokens.filter((token) => token.length >= 2 && /\p{L}/u.test(token) && !/^[\p{N}\p{P}a-z]+$/u.test(token) && !places.has(token));
}
