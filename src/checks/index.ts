// Every check of the suite, for the self-tests (each must pass one recorded input and fail another)
// and for documentation. A check not listed here is a check without a proof that it can fail.
import type { Check } from './check.ts';
import { accepted, bodyMatchesSchema, busyRetried, documentedHeaders, jsonContentType, statusDocumented, statusIs } from './contract.ts';
import { envelopeShape, faultCodeIsStatus, faultName } from './envelope.ts';
import { countMatches, filterSelects, nextLink, nextUrl, offsetWindow, pageWithinLimit, pagesCoverList, samePage, sortedBy, totalMatches } from './lists.ts';
import { refused } from './refusal.ts';
import { answerNamesId, fieldsMatch, listed, reachedState, refusedCreateLeftNothing, statusIn } from './resource.ts';
import { answerSpeaksVersion, fieldsByVersion, versionsDocument } from './versions.ts';

export const allChecks: Array<Check<any>> = [
  statusIs,
  accepted,
  statusDocumented,
  bodyMatchesSchema,
  jsonContentType,
  documentedHeaders,
  busyRetried,
  envelopeShape,
  faultCodeIsStatus,
  faultName,
  refused,
  fieldsMatch,
  listed,
  reachedState,
  statusIn,
  answerNamesId,
  refusedCreateLeftNothing,
  pageWithinLimit,
  pagesCoverList,
  nextLink,
  nextUrl,
  samePage,
  sortedBy,
  filterSelects,
  countMatches,
  totalMatches,
  offsetWindow,
  versionsDocument,
  answerSpeaksVersion,
  fieldsByVersion,
];
