// The build step after compiling: every profile is checked and kept as JSON (see checkedSources in
// load.ts), so that no process of a run parses YAML or compiles the shape checks again.
import { keepCheckedProfiles } from './load.ts';

process.stdout.write(`checked profiles: ${keepCheckedProfiles().join(', ')}\n`);
