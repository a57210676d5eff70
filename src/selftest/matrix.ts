// The fault matrix of the shipped profiles (specs/fault-matrix.yaml): for a fault of a profile's
// reference server, the clauses that must catch it exactly, or why the profile cannot catch it.
// A selftest reads it; the project's tests hold every shipped profile to it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../profile/load.ts';

export interface MatrixRow {
  /** The clauses meant for the fault: each must fail. */
  catches?: string[];
  /** Clauses that fail as a direct consequence: they may fail. Any other failing clause is a defect of the suite. */
  also?: string[];
  /** The fault makes the server keep what the suite deletes (the run cannot clean up). */
  residue?: boolean;
  /** The fault keeps the suite from setting up (a suite error says so). */
  blocks?: boolean;
  /** The profile cannot catch the fault, and why: it is not run, nor counted in the score. */
  'not-applicable'?: string;
}

let matrix: Record<string, Record<string, MatrixRow>> | undefined;

/** The rows of a profile (none for a profile the matrix does not name). */
export function matrixRows(profile: string): Record<string, MatrixRow> {
  matrix ??= parse(readFileSync(join(PACKAGE_ROOT, 'specs', 'fault-matrix.yaml'), 'utf8')) ?? {};
  return matrix![profile] ?? {};
}
