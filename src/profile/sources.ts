// Where profiles are: the package's own (openapi/<id>.yaml) and any folder of the user's that holds
// a profile document (openapi.yaml, with its x-conformance and the clause file it names). A profile
// is known by its id everywhere in a run; a folder's profile is registered once under its id, and
// the run hands the registrations to its other processes (src/run/settings.ts).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, YAMLError } from 'yaml';

/** The package's root (where package.json, openapi/ and specs/ are), from the sources or from dist/. */
export const PACKAGE_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();
const OPENAPI_DIR = join(PACKAGE_ROOT, 'openapi');
/** Profiles the package ships in folders of their own, as a vendor keeps one: profiles/<id>/openapi.yaml. */
const FOLDERS_DIR = join(PACKAGE_ROOT, 'profiles');

export class ProfileError extends Error {
  override name = 'ProfileError';
}

/**
 * The profiles the package ships, id -> document: one per openapi/<id>.yaml (the first five, whose
 * clauses are in specs/<id>/), and one per folder profiles/<id>/ (its openapi.yaml and clauses.yaml).
 */
function shipped(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(OPENAPI_DIR)) if (f.endsWith('.yaml')) out.set(f.slice(0, -'.yaml'.length), join(OPENAPI_DIR, f));
  if (existsSync(FOLDERS_DIR)) for (const d of readdirSync(FOLDERS_DIR)) if (existsSync(join(FOLDERS_DIR, d, 'openapi.yaml'))) out.set(d, join(FOLDERS_DIR, d, 'openapi.yaml'));
  return out;
}

/** The profiles the package ships. */
export function profileIds(): string[] {
  return [...shipped().keys()].sort();
}

/** Profiles of the user's folders known to this process, by id: the document's file. */
const registered = new Map<string, string>();

/** The document of a profile: a registered folder's, else the package's own. */
export function documentOf(id: string): string {
  const file = registered.get(id) ?? shipped().get(id);
  if (file) return file;
  throw new ProfileError(`unknown profile "${id}"; known profiles: ${profileIds().join(', ')} (or give the path of a profile folder)`);
}

/** Whether the profile is one of the package's own (its checked form is kept by the build). */
export const isBuiltIn = (id: string) => !registered.has(id) && profileIds().includes(id);

/** Registers a folder's profile under its id (a run's other processes get them from the run's settings). */
export function registerProfile(id: string, file: string): void {
  registered.set(id, resolve(file));
}

/** The folders' profiles registered in this process, id -> document. */
export const registeredProfiles = (): Record<string, string> => Object.fromEntries(registered);

/** What looks like a path rather than a profile id. */
const looksLikePath = (ref: string) => /[/\\]/.test(ref) || ref.startsWith('.') || /\.(ya?ml|json)$/.test(ref);

/**
 * Where the profile a user named is: a profile id of the package, or the path of a profile folder
 * (or of its document). Reads nothing but the folder: `check` must see a broken document itself.
 */
export function locateProfile(ref: string, cwd = process.cwd()): { file: string; id?: string } {
  if (!looksLikePath(ref) && registered.has(ref)) return { file: registered.get(ref)!, id: ref };
  const own = looksLikePath(ref) ? undefined : shipped().get(ref);
  if (own) return { file: own, id: ref };
  const path = resolve(cwd, ref);
  if (!existsSync(path)) {
    if (looksLikePath(ref)) throw new ProfileError(`no profile at ${path}: give a folder holding openapi.yaml, or a profile id (${profileIds().join(', ')})`);
    throw new ProfileError(`unknown profile "${ref}"; known profiles: ${profileIds().join(', ')} (or give the path of a profile folder)`);
  }
  return { file: statSync(path).isDirectory() ? documentIn(path) : path };
}

/**
 * The profile a user named after --profile: a profile id of the package, or the path of a profile
 * folder (or of its document). A folder's profile is registered under the id its clause file gives.
 */
export function resolveProfile(ref: string, cwd = process.cwd()): string {
  const located = locateProfile(ref, cwd);
  if (located.id) return located.id;
  const file = located.file;
  const id = idOf(file);
  const had = registered.get(id);
  if (had && had !== file) throw new ProfileError(`two profiles are named "${id}": ${had} and ${file}`);
  registerProfile(id, file);
  return id;
}

/** The profile document of a folder: openapi.yaml, or the one YAML file there with an x-conformance block. */
function documentIn(dir: string): string {
  for (const name of ['openapi.yaml', 'openapi.yml']) if (existsSync(join(dir, name))) return join(dir, name);
  const candidates = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && /^x-conformance:/m.test(readFileSync(join(dir, f), 'utf8')));
  if (candidates.length === 1) return join(dir, candidates[0]!);
  throw new ProfileError(`${dir} holds no profile: it needs an openapi.yaml with an x-conformance block (snapshot-conformance init drafts one)`);
}

/** A folder profile's id: the `profile` of the clause file its document names. */
function idOf(file: string): string {
  const doc = readYaml(file) as { 'x-conformance'?: { clauses?: unknown } } | undefined;
  const clauses = doc?.['x-conformance']?.clauses;
  if (typeof clauses !== 'string') throw new ProfileError(`${file}: not a profile document (it has no x-conformance block naming its clauses)`);
  const clauseFile = resolve(dirname(file), clauses);
  if (!existsSync(clauseFile)) throw new ProfileError(`${file}: x-conformance names the clause file ${clauses}, which is not there (${clauseFile})`);
  const id = (readYaml(clauseFile) as { profile?: unknown } | undefined)?.profile;
  if (typeof id !== 'string') throw new ProfileError(`${clauseFile}: the clause file must say which profile it is (profile: <id>)`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new ProfileError(`${clauseFile}: profile "${id}" must be lower case letters, digits and hyphens`);
  return id;
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ProfileError(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** A YAML (or JSON) file, parsed; a syntax error is one line with the file, line and column. */
export function readYaml(file: string, text = readText(file)): unknown {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof YAMLError) {
      const at = error.linePos?.[0];
      const what = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new ProfileError(`${file}${at ? `:${at.line}:${at.col}` : ''}: ${what}`);
    }
    throw new ProfileError(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
}
