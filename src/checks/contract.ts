// Checks of one exchange against the operation's documentation: status, body schema, media type,
// headers. They run on every exchange of a documented operation, wherever it was sent from.
import { header, type Exchange } from '../http/exchange.ts';
import type { Operation } from '../profile/load.ts';
import type { Validators } from '../validate/validators.ts';
import { defineCheck, notApplicable, show, type Failure } from './check.ts';

export interface ExchangeInput {
  exchange: Exchange;
  operation: Operation;
  validators: Validators;
}

const noAnswer = (ex: Exchange): Failure => ({
  title: 'no answer',
  expected: 'an HTTP answer',
  actual: ex.error ?? 'none',
});

export const statusIs = defineCheck<{ exchange: Exchange; expected: number[] }>({
  id: 'status.expected',
  summary: 'The answer has the status the operation documents for this request.',
  judge({ exchange, expected }) {
    if (!exchange.response) return [noAnswer(exchange)];
    const status = exchange.response.status;
    if (expected.includes(status)) return [];
    return [{ title: `answered ${status} instead of ${expected.join(' or ')}`, expected: expected.join(' or '), actual: String(status) }];
  },
});

export const accepted = defineCheck<{ exchange: Exchange }>({
  id: 'status.accepted',
  summary: 'The request is accepted: a 2xx answer.',
  judge({ exchange }) {
    if (!exchange.response) return [noAnswer(exchange)];
    const status = exchange.response.status;
    if (status >= 200 && status < 300) return [];
    return [{ title: `refused (${status}) instead of accepted`, expected: 'a 2xx answer', actual: String(status) }];
  },
});

export const statusDocumented = defineCheck<ExchangeInput>({
  id: 'status.documented',
  summary: 'The status of the answer is one the operation documents.',
  judge({ exchange, operation }) {
    if (!exchange.response) return notApplicable('no answer');
    const status = String(exchange.response.status);
    if (operation.responses.has(status)) return [];
    return [
      {
        title: `undocumented status ${status}`,
        expected: `one of ${[...operation.responses.keys()].join(', ')}`,
        actual: status,
      },
    ];
  },
});

export const bodyMatchesSchema = defineCheck<ExchangeInput>({
  id: 'body.schema',
  summary: 'A successful answer\'s body validates against the schema documented for its status.',
  judge({ exchange, operation, validators }) {
    const response = exchange.response;
    if (!response) return notApplicable('no answer');
    if (response.status >= 400) return notApplicable('error bodies are judged by the envelope checks');
    const documented = operation.responses.get(String(response.status));
    if (!documented?.schemaPointer) return notApplicable('no body documented for this status');
    if (documented.optionalBody && response.bodyBytes === 0) return notApplicable('the body is optional and empty');
    if (response.json === undefined) {
      return [{ title: 'body is not JSON', expected: 'a JSON body', actual: show(response.body) }];
    }
    return validators.validate(documented.schemaPointer, response.json).map((f) => ({
      // The rule in words, the same wherever the member is (every item of a list, the show): one finding.
      title: f.rule,
      expected: `the schema at ${f.schemaPointer ?? documented.schemaPointer}`,
      actual: f.message,
      pointer: f.pointer,
      clause: f.clause,
    }));
  },
});

export const jsonContentType = defineCheck<{ exchange: Exchange }>({
  id: 'content-type.json',
  summary: 'A JSON body is declared as application/json.',
  judge({ exchange }) {
    if (exchange.response?.json === undefined) return notApplicable('no JSON body');
    const type = header(exchange, 'content-type');
    if (type && /^application\/json\s*(;|$)/i.test(type)) return [];
    return [{ title: `JSON body sent as ${type ?? 'no Content-Type'}`, expected: 'application/json', actual: type ?? 'none' }];
  },
});

export const documentedHeaders = defineCheck<ExchangeInput>({
  id: 'headers.documented',
  summary: 'The headers the operation documents as required for this status are present and well formed.',
  judge({ exchange, operation, validators }) {
    const response = exchange.response;
    if (!response) return notApplicable('no answer');
    const documented = operation.responses.get(String(response.status));
    const required = documented?.headers.filter((h) => h.required) ?? [];
    if (required.length === 0) return notApplicable('no required headers documented for this status');
    const failures: Failure[] = [];
    for (const h of required) {
      const value = header(exchange, h.name);
      if (value === undefined) {
        failures.push({ title: `header ${h.name} is missing`, expected: `${h.name} present`, actual: 'absent', clause: h.clause });
        continue;
      }
      for (const f of validators.validateInline(h.schema, value)) {
        failures.push({ title: `header ${h.name} is malformed`, expected: f.rule.replace('the body', 'the value'), actual: value, clause: h.clause });
      }
    }
    return failures;
  },
});

export const busyRetried = defineCheck<{ exchange: Exchange; busyStatus: number; attempts: number }>({
  id: 'busy.retried',
  summary: 'A documented "busy, try again" answer gives way within the bound of attempts.',
  judge({ exchange, busyStatus, attempts }) {
    const status = exchange.response?.status;
    const attempt = exchange.attempt ?? 1;
    if (status === busyStatus && attempt >= attempts) {
      return [{ title: `still busy after ${attempts} attempts`, expected: `an answer other than ${busyStatus} within ${attempts} attempts`, actual: `${busyStatus} every time` }];
    }
    if (status !== busyStatus && attempt > 1) return [];
    return notApplicable(attempt === 1 ? 'not retried' : 'a busy answer on the way');
  },
});
