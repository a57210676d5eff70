// A check is a small pure function over recorded exchanges (or values read from them): it makes no
// HTTP call and knows no profile file. It answers with the failures it sees ([] = it holds) or says
// it does not apply. The clause a check enforces is bound where it is called, from the profile
// document, so one check serves every profile that has the behaviour.

export interface Failure {
  /** Groups failures in the report: the same title is the same defect. */
  title: string;
  expected: string;
  actual: string;
  /** JSON pointer into the judged body, when the failure is at one place in it. */
  pointer?: string;
  /** Set when a failure belongs to a more specific clause than the one the check was called for. */
  clause?: string;
}

export interface NotApplicable {
  notApplicable: string;
}

export type Verdict = Failure[] | NotApplicable;

export interface Check<Input> {
  id: string;
  /** What the check holds to, in one line. */
  summary: string;
  judge(input: Input): Verdict;
}

export const defineCheck = <Input>(check: Check<Input>): Check<Input> => check;

export const notApplicable = (reason: string): NotApplicable => ({ notApplicable: reason });

export const isNotApplicable = (v: Verdict): v is NotApplicable => !Array.isArray(v);

/** Short JSON for messages: values are shown, long ones are cut. */
export function show(value: unknown, max = 160): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
