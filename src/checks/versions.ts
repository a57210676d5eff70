// Versions: the discovery document at the endpoint's root, and what a microversion changes.
import { header, type Exchange } from '../http/exchange.ts';
import { defineCheck, notApplicable, show, type Failure } from './check.ts';

export const versionsDocument = defineCheck<{ exchange: Exchange; version: string; minVersion?: string }>({
  id: 'versions.document',
  summary: 'The version root lists the profile\'s API version (and its microversion range, where it has one).',
  judge({ exchange, version, minVersion }) {
    const r = exchange.response;
    if (!r) return [{ title: 'the version root did not answer', expected: 'a versions document', actual: exchange.error ?? 'none' }];
    if (r.status >= 400) return [{ title: `the version root answered ${r.status}`, expected: '200 or 300 with a versions document', actual: String(r.status) }];
    const versions = (r.json as any)?.versions;
    if (!Array.isArray(versions)) return [{ title: 'the version root has no versions list', expected: '{"versions": [...]}', actual: show(r.json ?? r.body) }];
    const entry = versions.find((v: any) => v?.id === version);
    if (!entry) return [{ title: `${version} is not listed`, expected: version, actual: show(versions.map((v: any) => v?.id)) }];
    if (minVersion === undefined) return [];
    if (entry.min_version !== minVersion || typeof entry.version !== 'string' || !/^\d+\.\d+$/.test(entry.version)) {
      return [{ title: `${version} does not state its microversion range`, expected: `min_version ${minVersion} and a version`, actual: show({ min_version: entry.min_version, version: entry.version }) }];
    }
    return [];
  },
});

/** Orders microversions "3.9" < "3.14" (numerically, part by part). */
export function compareMicroversions(a: string, b: string): number {
  const [pa, pb] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export const answerSpeaksVersion = defineCheck<{ exchange: Exchange; header: string; expected: string }>({
  id: 'version.echo',
  summary: 'A successful answer names the microversion the request asked for.',
  judge({ exchange, header: name, expected }) {
    if (!exchange.response || exchange.response.status >= 400) return notApplicable('no successful answer');
    const got = header(exchange, name);
    return got === expected ? [] : [{ title: 'answered at another microversion than asked', expected: `${name}: ${expected}`, actual: got ?? 'no such header' }];
  },
});

export const fieldsByVersion = defineCheck<{ resource: unknown; version: string; since: Record<string, string>; where: string }>({
  id: 'version.fields',
  summary: 'A view holds each field of a microversion from that version on, and not before.',
  judge({ resource, version, since, where }) {
    if (typeof resource !== 'object' || resource === null) return notApplicable('no resource in the answer');
    const failures: Failure[] = [];
    for (const [field, from] of Object.entries(since)) {
      const due = compareMicroversions(version, from) >= 0;
      const present = field in resource;
      if (due !== present) {
        failures.push({
          title: `${field} ${present ? 'shown before' : 'missing from'} microversion ${from} (${where} at ${version})`,
          expected: due ? `${field} present (since ${from})` : `no ${field} (it comes with ${from})`,
          actual: present ? `${field}: ${show((resource as Record<string, unknown>)[field])}` : 'absent',
        });
      }
    }
    return failures;
  },
});
