// What an EVS handler sees: the Cinder-family request context (so the shared Cinder handlers run
// unchanged, with `mv` 0 and `faults` holding only the Cinder faults EVS shares), plus EVS's faults.
import type { Ctx } from '../cinder/http.ts';
import type { EvsFaults } from './faults.ts';

export interface EvsCtx extends Ctx {
  readonly evs: EvsFaults;
}
