/** 张三 -> 张**: the surname alone, and never the length of the given name. */
export function maskName(name: string | undefined): string | null {
  const trimmed = name?.trim();
  if (!trimmed) return null;
  return `${Array.from(trimmed)[0] ?? ''}**`;
}

/** 13812341234 -> 138****1234; anything shorter keeps only its last two digits. */
export function maskPhone(phone: string | undefined): string | null {
  const digits = phone?.replace(/\D/g, '');
  if (!digits) return null;
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return `${'*'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
}

// Mobile numbers, landlines with area code, 18-digit identity card numbers and e-mail addresses.
const PERSONAL_DATA_PATTERNS: readonly [RegExp, (m: string) => string][] = [
  [/\b\d{17}[\dXx]\b/g, (m) => `${m.slice(0, 6)}********${m.slice(-4)}`],
  [/(?<!\d)1[3-9]\d{9}(?!\d)/g, (m) => maskPhone(m) ?? ''],
  [/(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g, (m) => `${m.slice(0, 4)}****${m.slice(-2)}`],
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, () => '***@***'],
];

/** Masks personal data a citizen wrote into free text before it is shown publicly (去标识化). */
export function maskFreeText(text: string | null): string | null {
  if (text === null) return null;
  return PERSONAL_DATA_PATTERNS.reduce((acc, [pattern, mask]) => acc.replace(pattern, mask), text);
}
