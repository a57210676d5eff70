// Vendor rules for how a stored string differs from the one sent. A check that compares names must
// use the vendor's rule, not the language's: JavaScript's trim() removes U+FEFF and keeps U+001C..U+001F
// and U+0085, Python's str.strip() does the opposite.

/** The characters Python's str.isspace() accepts (str.strip() with no argument removes these). */
const PYTHON_WHITESPACE =
  '\t\n\u000b\u000c\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

export function pythonStrip(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && PYTHON_WHITESPACE.includes(value[start]!)) start++;
  while (end > start && PYTHON_WHITESPACE.includes(value[end - 1]!)) end--;
  return value.slice(start, end);
}

export type NormalizeRule = 'python-strip';

export const normalizers: Record<NormalizeRule, (value: string) => string> = {
  'python-strip': pythonStrip,
};

/** A text with the case of each letter swapped: the same name in the other case. */
export const swapCase = (text: string): string => [...text].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('');
