// The branches of a string rule written as a `pattern`, found by probing the pattern with single
// characters rather than by parsing it: the characters it refuses anywhere (its character set, or
// the characters it forbids), and those it allows inside a value but refuses as the first character
// (a first-character rule). Each branch gives the request generators a negative case; the edges of
// the rule (every character it does allow, another allowed first character) give positive ones.

/** Printable ASCII and one control character: the characters each pattern is probed with. */
const PROBES = [...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)), '\u0007'];

/** The character that stands for an allow-list's refusals, in this order of preference. */
const REPRESENTATIVES = ['.', ' ', '<', '!', '"', '\u0007'];

export interface PatternBranches {
  /**
   * The pattern names what it forbids (`[^...]`): each forbidden character is a branch of its own.
   * Otherwise it names what it allows, and its character set is one branch.
   */
  denyList: boolean;
  /** Probe characters refused inside an otherwise valid value. */
  refused: string[];
  /** Probe characters allowed inside a value but refused as its first character. */
  refusedFirst: string[];
  /** Probe characters allowed inside a value. */
  allowed: string[];
}

/** Where a probe character goes: replacing the middle character of a valid value, or its first. */
export const insideAt = (base: string, c: string): string => {
  const mid = Math.floor(base.length / 2);
  return base.slice(0, mid) + c + base.slice(mid + 1);
};
export const firstOf = (base: string, c: string): string => c + base.slice(1);

/** The branches of a pattern, probed around a value it accepts (at least three characters long). */
export function probePattern(source: string, base: string): PatternBranches | undefined {
  const pattern = new RegExp(source, 'u');
  if (base.length < 3 || !pattern.test(base)) return undefined;
  const refused: string[] = [];
  const allowed: string[] = [];
  for (const c of PROBES) (pattern.test(insideAt(base, c)) ? allowed : refused).push(c);
  const refusedFirst = allowed.filter((c) => !pattern.test(firstOf(base, c)));
  return { denyList: /\[\^/.test(source), refused, refusedFirst, allowed };
}

/** The characters whose refusal is a branch of its own: each forbidden one, or one for a whole set. */
export function refusedBranches(b: PatternBranches): string[] {
  if (b.denyList) return b.refused;
  const one = REPRESENTATIVES.find((c) => b.refused.includes(c)) ?? b.refused[0];
  return one === undefined ? [] : [one];
}

/** The first characters to refuse: a digit, an upper and a lower case letter stand for their kind. */
export function refusedFirstBranches(b: PatternBranches): string[] {
  const kinds = [/[0-9]/, /[A-Z]/, /[a-z]/];
  const out: string[] = [];
  for (const kind of kinds) {
    const one = b.refusedFirst.find((c) => kind.test(c));
    if (one !== undefined) out.push(one);
  }
  return [...out, ...b.refusedFirst.filter((c) => !/[0-9A-Za-z]/.test(c))];
}

/**
 * The characters a value holds to show that everything the rule does not refuse is allowed: every
 * allowed printable character that is not a letter or a digit, with one digit and one upper case
 * letter (control characters are no edge of a rule about names and descriptions). The caller puts
 * them inside a value, so space is at neither end (vendors that strip would change the value).
 */
export function allowedEdge(b: PatternBranches): string {
  const digit = b.allowed.find((c) => /[0-9]/.test(c)) ?? '';
  const upper = b.allowed.find((c) => /[A-Z]/.test(c)) ?? '';
  const others = b.allowed.filter((c) => /[\x20-\x7e]/.test(c) && !/[0-9A-Za-z]/.test(c));
  return digit + upper + others.join('');
}
