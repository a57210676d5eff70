// API versions: the microversion header of v3 and the version discovery documents.
import { ApiError } from './errors.ts';

export const MIN_MINOR = 0;
export const MAX_MINOR = 70;
export const VERSION_HEADER = 'OpenStack-API-Version';

// Cinder's APIVersionRequest format: no leading zeros, minor 0 allowed.
const VERSION_RE = /^([1-9]\d*)\.([1-9]\d*|0)$/;

/** A refused OpenStack-API-Version; `echo` is what the answer still says it was asked for (406 only). */
export class VersionError extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly echo?: string,
  ) {
    super(status, message);
  }
}

/**
 * The requested 3.x minor version. No header, or a header naming only other services, means 3.0;
 * `latest` means the maximum. Malformed -> 400, outside 3.0..3.<max> -> 406 computeFault.
 */
export function parseMicroversion(header: string | string[] | undefined, maxMinor = MAX_MINOR): number {
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
  let requested: string | undefined;
  for (const part of raw.split(',')) {
    const [service, version, ...rest] = part.trim().split(/\s+/);
    if (service?.toLowerCase() === 'volume' && rest.length === 0) requested = version ?? '';
  }
  if (requested === undefined) return MIN_MINOR;
  if (requested.toLowerCase() === 'latest') return maxMinor;
  const match = VERSION_RE.exec(requested);
  if (!match) {
    throw new VersionError(400, `API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.`);
  }
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major !== 3 || minor < MIN_MINOR || minor > maxMinor) {
    throw new VersionError(
      406,
      `Version ${requested} is not supported by the API. Minimum is 3.${MIN_MINOR} and maximum is 3.${maxMinor}.`,
      `volume ${requested}`,
    );
  }
  return minor;
}

export function versionHeaderValue(minor: number): string {
  return `volume 3.${minor}`;
}

export type Family = 'v2' | 'v3';

// The `updated` of Cinder 2023.1's v3 version document (microversion 3.70).
const V3_UPDATED = '2022-08-31T00:00:00Z';

function versionEntry(family: Family, origin: string, maxMinor: number): Record<string, unknown> {
  const links = [
    { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
    { rel: 'self', href: `${origin}/${family}/` },
  ];
  const mediaTypes = [
    { base: 'application/json', type: `application/vnd.openstack.volume+json;version=${family.slice(1)}` },
  ];
  if (family === 'v2') {
    // v2 predates microversions: Cinder listed it with empty version strings.
    return { id: 'v2.0', status: 'DEPRECATED', version: '', min_version: '', updated: '2017-02-25T12:00:00Z', links, 'media-types': mediaTypes };
  }
  return {
    id: 'v3.0',
    status: 'CURRENT',
    version: `3.${maxMinor}`,
    min_version: `3.${MIN_MINOR}`,
    updated: V3_UPDATED,
    links,
    'media-types': mediaTypes,
  };
}

/**
 * GET / answers 300 Multiple Choices with every version served, as Cinder does. `maxMinor` is the
 * highest 3.x advertised (a dialect without microversions advertises 3.0).
 */
export function rootDocument(origin: string, maxMinor = MAX_MINOR, families: readonly Family[] = ['v2', 'v3']): { status: number; body: unknown } {
  return { status: 300, body: { versions: families.map((f) => versionEntry(f, origin, maxMinor)) } };
}

/** GET /v2/ or /v3/ answers 200 with that version only. */
export function familyDocument(family: Family, origin: string, maxMinor = MAX_MINOR): { status: number; body: unknown } {
  return { status: 200, body: { versions: [versionEntry(family, origin, maxMinor)] } };
}
