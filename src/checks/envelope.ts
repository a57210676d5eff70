// The error envelope: every 4xx/5xx body has the profile's shape. For Cinder's named faults,
// {"<faultName>": {"code": <status>, "message": "..."}}: the shape (a schema), the code equal to the
// HTTP status, and the name matching the status.
import type { Exchange } from '../http/exchange.ts';
import type { Validators } from '../validate/validators.ts';
import { defineCheck, notApplicable, show, type Failure } from './check.ts';

const errorBody = (ex: Exchange) => {
  const r = ex.response;
  if (!r || r.status < 400) return notApplicable('not an error answer');
  if (r.bodyBytes === 0) return notApplicable('no body');
  return r;
};

export const envelopeShape = defineCheck<{ exchange: Exchange; validators: Validators; schemaPointer: string }>({
  id: 'envelope.shape',
  summary: 'An error body has the profile\'s error envelope shape.',
  judge({ exchange, validators, schemaPointer }) {
    const r = errorBody(exchange);
    if ('notApplicable' in r) return r;
    if (r.json === undefined) {
      return [{ title: 'error body is not JSON', expected: 'the error envelope', actual: show(r.body) }];
    }
    return validators.validate(schemaPointer, r.json).map<Failure>((f) => ({
      title: `error envelope: ${f.rule.replace('the body', 'the error body')}`,
      expected: 'the error envelope',
      actual: `${f.pointer}: ${f.message}; body ${show(r.json)}`,
      pointer: f.pointer,
    }));
  },
});

/** The single fault of a named-fault body, when it has that shape. */
function namedFault(json: unknown): { name: string; code: unknown } | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const entries = Object.entries(json);
  if (entries.length !== 1) return undefined;
  const [name, inner] = entries[0]!;
  if (!inner || typeof inner !== 'object') return undefined;
  return { name, code: (inner as Record<string, unknown>).code };
}

export const faultCodeIsStatus = defineCheck<{ exchange: Exchange }>({
  id: 'envelope.code',
  summary: 'The code inside the fault equals the HTTP status.',
  judge({ exchange }) {
    const r = errorBody(exchange);
    if ('notApplicable' in r) return r;
    const fault = namedFault(r.json);
    if (!fault) return notApplicable('no named fault to read a code from');
    if (fault.code === r.status) return [];
    return [{ title: 'fault code differs from the HTTP status', expected: String(r.status), actual: show(fault.code), pointer: `/${fault.name}/code` }];
  },
});

export const faultName = defineCheck<{ exchange: Exchange; byStatus: Record<string, string[]>; otherwise: string[] }>({
  id: 'envelope.name',
  summary: 'The fault is named for its status.',
  judge({ exchange, byStatus, otherwise }) {
    const r = errorBody(exchange);
    if ('notApplicable' in r) return r;
    const fault = namedFault(r.json);
    if (!fault) return notApplicable('no named fault');
    const allowed = byStatus[String(r.status)] ?? otherwise;
    if (allowed.includes(fault.name)) return [];
    return [{ title: `a ${r.status} fault named ${fault.name}`, expected: allowed.join(' or '), actual: fault.name, pointer: '/' }];
  },
});
