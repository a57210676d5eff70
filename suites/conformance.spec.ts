// The suite under Playwright: every test of the chosen profiles that does not need the target to
// itself, longest first, spread over the run's workers (one process each, for the whole run).
import { readSettings } from '../src/run/settings.ts';
import { register } from './fixtures.ts';
import { suitePlan } from './plan.ts';

register(suitePlan(readSettings().profiles).filter((def) => !def.alone));
