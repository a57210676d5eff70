// The version discovery document at the endpoint's root.
import type { Exchange } from '../http/exchange.ts';
import { defineCheck, show } from './check.ts';

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
