/**
 * Contact details and identity numbers written into free text: where they are, and how each kind
 * is masked. Matching runs on NFKC-normalised text (full-width digits, ＋, （）, ＠ fold to ASCII),
 * and tolerates one separator (space, hyphen, dot) between any two digits, as people write
 * 139-1234-5678 or 139 1234 5678.
 */

/** One kind of personal data, its pattern, and its masked form (undefined: not this kind after all). */
interface ContactPattern {
  readonly kind: 'identity' | 'bank_card' | 'mobile' | 'landline' | 'email' | 'im_id' | 'phone_named';
  readonly pattern: RegExp;
  readonly mask: (match: string, groups: readonly (string | undefined)[]) => string | undefined;
}

// A separator people put between digit groups.
const SEP = '[\\s\\-‐‑–—.·]?';
const digitsOf = (text: string): string => text.replace(/[^\dXx]/g, '').toUpperCase();
const stars = (n: number): string => '*'.repeat(Math.max(1, n));

// The province codes that open an identity number (GB/T 2260): a 15-digit case number opens with
// 20 (its year), which none is.
const PROVINCES = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83', '91']);

const validDate = (month: string, day: string): boolean => {
  const m = Number(month);
  const d = Number(day);
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
};

/** An 18-digit (YYYYMMDD) or 15-digit (YYMMDD) resident identity number, by its province and birth date. */
function isIdentityNumber(digits: string): boolean {
  if (!PROVINCES.has(digits.slice(0, 2))) return false;
  if (digits.length === 18) return /^(19|20)\d\d$/.test(digits.slice(6, 10)) && validDate(digits.slice(10, 12), digits.slice(12, 14));
  return digits.length === 15 && /^\d+$/.test(digits) && validDate(digits.slice(8, 10), digits.slice(10, 12));
}

const maskMobile = (digits: string): string => `${digits.slice(0, 3)}****${digits.slice(-4)}`;

const maskIdentity = (m: string): string | undefined => {
  const digits = digitsOf(m);
  return isIdentityNumber(digits) ? `${digits.slice(0, 6)}${stars(digits.length - 10)}${digits.slice(-4)}` : undefined;
};

// No match starts inside a number joined by hyphens or dots (6222-1100-…): a space may part two numbers.
const START = '(?<!\\d[\\-‐‑–—.·]?)(?<![A-Za-z])';

/** In the order they are tried: the longest numbers first, so that a card is not read as a phone. */
const CONTACT_PATTERNS: readonly ContactPattern[] = [
  { kind: 'identity', pattern: new RegExp(`${START}[1-9](?:${SEP}\\d){16}${SEP}[\\dXx](?![\\dA-Za-z])`, 'g'), mask: maskIdentity },
  {
    kind: 'bank_card',
    pattern: new RegExp(`${START}[1-9](?:${SEP}\\d){15,18}(?!\\d)`, 'g'),
    mask: (m) => {
      const digits = digitsOf(m);
      return `${digits.slice(0, 4)}${stars(digits.length - 8)}${digits.slice(-4)}`;
    },
  },
  { kind: 'identity', pattern: new RegExp(`${START}[1-9](?:${SEP}\\d){14}(?![\\dA-Za-z])`, 'g'), mask: maskIdentity },
  {
    kind: 'mobile',
    pattern: new RegExp(`(?<![\\d+])(?:(?:\\+|00)?86${SEP})?1[3-9](?:${SEP}\\d){9}(?!\\d)`, 'g'),
    mask: (m) => maskMobile(digitsOf(m).slice(-11)),
  },
  {
    kind: 'landline',
    pattern: /(?<!\d)(?:[(（]0\d{2,3}[)）]|0\d{2,3})[\s\-‐‑–—.]?\d{3,4}[\s\-‐‑–—.]?\d{3,4}(?!\d)/g,
    mask: (m) => {
      const digits = digitsOf(m);
      if (digits.length < 10 || digits.length > 12) return undefined;
      const area = digits.startsWith('01') || digits.startsWith('02') ? 3 : 4;
      return `${digits.slice(0, area)}-${stars(digits.length - area - 2)}${digits.slice(-2)}`;
    },
  },
  {
    kind: 'email',
    pattern: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g,
    mask: (m) => `${m.slice(0, 1)}***@***`,
  },
  {
    // An id is masked only when it is named as one: "QQ 123456", "微信号：abc_123".
    kind: 'im_id',
    pattern: /(?<![a-z])(qq|扣扣|微信|weixin|wechat|vx|v信|wx)(\s*(?:号码|号|id|账号)?\s*[:：是为]?\s*)([a-z][\w-]{4,19}|\d{5,12})(?![\w-])/gi,
    mask: (_m, groups) => `${groups[0] ?? ''}${groups[1] ?? ''}${stars(6)}`,
  },
  {
    // A local number without its area code, named as a phone: "电话8123456".
    kind: 'phone_named',
    pattern: /(?<![a-z])(电话|座机|手机|联系方式|tel|phone)(\s*(?:号码|号)?\s*[:：是为]?\s*)(\d{7,8})(?!\d)/gi,
    mask: (_m, groups) => `${groups[0] ?? ''}${groups[1] ?? ''}${stars((groups[2] ?? '').length - 2)}${(groups[2] ?? '').slice(-2)}`,
  },
];

/** The kinds of personal data that masking recognises. */
export type ContactKind = ContactPattern['kind'];

// Chinese punctuation that NFKC would turn into ASCII: kept as written, the text is shown to people.
const KEEP_PUNCTUATION = /[，：；！？（）]/u;

/**
 * Folds full-width and compatibility forms (NFKC) and odd spaces, so that ０５３９ and 0539 read the
 * same; the Chinese punctuation of the text stays as written.
 */
export function normalizeForMasking(text: string): string {
  return text
    .replace(/[^\p{Script=Han}\s]/gu, (ch) => (KEEP_PUNCTUATION.test(ch) ? ch : ch.normalize('NFKC')))
    .replace(/[\u00a0\u2000-\u200b\u3000]/g, ' ');
}

/**
 * Replaces every contact detail and identity number in `text` (already normalised) with
 * `replace(kind, masked)`. The masked forms keep only a few digits (139****5678), and are never
 * matched again, so masking twice changes nothing.
 */
export function replaceContactDetails(text: string, replace: (kind: ContactKind, masked: string) => string): string {
  return CONTACT_PATTERNS.reduce(
    (acc, { kind, pattern, mask }) =>
      acc.replace(pattern, (match: string, ...rest: unknown[]) => {
        const groups = rest.slice(0, -2).map((g) => (typeof g === 'string' ? g : undefined));
        const masked = mask(match, groups);
        return masked === undefined ? match : replace(kind, masked);
      }),
    text,
  );
}
