// The clause stubs of a draft: numbered in the project's pattern (PREFIX-AREA-NN), each with the
// vendor's own words, where they stand in the document, the vendor's page, and the level init can
// tell; and the TODOs of the draft, each at the place of the YAML it belongs to.
import type { Clause, ClauseArea, ClauseLevel } from '../profile/schema.ts';

/** A choice init could not make: a comment at a place of openapi.yaml, or at a clause of clauses.yaml. */
export interface Todo {
  file: 'openapi.yaml' | 'clauses.yaml';
  /** Keys to the place in openapi.yaml (the nearest that exists takes the comment); or the clause id and a member. */
  at: (string | number)[];
  text: string;
}

const AREA_CODES: Record<ClauseArea, string> = { contract: 'API', versions: 'VER', lifecycle: 'LIFE', metadata: 'META', lists: 'LIST', errors: 'ERR', limits: 'LIM', auth: 'AUTH' };
const AREA_ORDER = Object.keys(AREA_CODES) as ClauseArea[];

/**
 * The clause prefix of a profile id, as the shipped profiles have theirs: a version after the
 * system's initial (cinder-v3: CV3), a short last part (huawei-evs: EVS), else the initials of the
 * parts (cirrus-block-storage: CBS), or the one word (exoscale: EXOSCALE).
 */
export function clausePrefix(profileId: string): string {
  const parts = profileId.split('-').filter(Boolean);
  const last = parts.at(-1) ?? 'X';
  const prefix =
    /^v\d+$/.test(last) && parts.length > 1 ? parts.at(-2)![0] + last
    : parts.length > 1 && last.length <= 4 ? last
    : parts.length > 1 ? parts.map((p) => p[0]).join('')
    : last;
  return prefix.toUpperCase().replace(/[^A-Z0-9]/g, '') || 'X';
}

export class Stubs {
  readonly clauses: Clause[] = [];
  readonly todos: Todo[] = [];
  private readonly counts = new Map<ClauseArea, number>();

  constructor(private readonly prefix: string) {}

  /** A new clause; its id. A level other than MUST comes with a TODO: the vendor's words may say more. */
  add(area: ClauseArea, level: ClauseLevel, title: string, text: string, source: string, url: { url: string; todo?: string }): string {
    const n = (this.counts.get(area) ?? 0) + 1;
    this.counts.set(area, n);
    const id = `${this.prefix}-${AREA_CODES[area]}-${String(n).padStart(2, '0')}`;
    this.clauses.push({ id, area, level, title, text: oneLine(text) || title, source: [source], url: url.url });
    if (level !== 'MUST') this.todo('clauses.yaml', [id, 'level'], `${level}: the document does not state this as a rule; make it MUST where the vendor's words do`);
    if (url.todo) this.todo('clauses.yaml', [id, 'url'], url.todo);
    return id;
  }

  todo(file: Todo['file'], at: Todo['at'], text: string): void {
    this.todos.push({ file, at, text });
  }

  /** The clauses by area (in the order docs/clauses.md gives), then by number. */
  sorted(): Clause[] {
    return [...this.clauses].sort((a, b) => AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area) || a.id.localeCompare(b.id));
  }
}

/** A description as one paragraph (Markdown line breaks and HTML breaks as spaces). */
export const oneLine = (text: string) => text.replace(/<br\s*\/?>/gi, ' ').replace(/\s+/g, ' ').trim();
