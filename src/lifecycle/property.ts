// Runs the lifecycle property: fast-check model-based testing over the profile's commands, in
// several lanes at once (each its own seed and share of the examples), so that the time spent
// waiting on the target overlaps. When a lane fails, fast-check shrinks the case within a time
// budget of its own; the smallest failing case found is replayed once with a recording judge: that
// replay is the evidence, with the command that replays it again.
import fc from 'fast-check';
import { CheckFailed, Judge, TargetBlocked } from '../findings/judge.ts';
import type { PropertyCounterexample, TestRecord } from '../findings/types.ts';
import { cleanup } from '../resources/cleanup.ts';
import type { Judged } from '../steps/create-delete.ts';
import type { World } from '../run/world.ts';
import { commandArbitraries, type CommandOptions } from './commands/index.ts';
import { emptyModel, type Model, type Real } from './model.ts';

export interface LifecycleOptions extends CommandOptions {
  seed: number;
  examples: number;
  lanes: number;
  maxCommands: number;
  /** How long shrinking a failing case may take, in ms. */
  shrinkBudgetMs: number;
  /** Replays one case: "<fast-check path>@<commands replay path>", with seed. */
  replay?: string;
  /** A judged context whose exchanges go to this judge (one per lane, and one for the replay). */
  judged: (judge: Judge) => Judged;
  world: World;
  parentId: string;
  /** The shell command that reruns a case, given seed and replay path. */
  replayCommand: (seed: number, replay: string) => string;
}

export interface LaneOutcome {
  seed: number;
  runs: number;
  /** Exploration's passes and contract findings, and the replay's failures with the counterexample. */
  records: TestRecord[];
  failed: boolean;
  /** Why the target stopped the exploration (over quota), if it did. */
  blocked?: string;
}

export async function runLifecycle(judgeOf: (exploring: boolean) => Judge, options: LifecycleOptions): Promise<LaneOutcome[]> {
  if (options.replay) {
    const [path, replayPath] = options.replay.split('@');
    return [await lane(judgeOf, options, 0, options.seed, 1, path, replayPath)];
  }
  const lanes = Math.max(1, Math.min(options.lanes, options.examples));
  // The examples asked for, shared out: the first lanes take one more where they do not divide.
  const share = (i: number) => Math.floor(options.examples / lanes) + (i < options.examples % lanes ? 1 : 0);
  return Promise.all(Array.from({ length: lanes }, (_, i) => lane(judgeOf, options, i, options.seed + i, share(i))));
}

async function lane(judgeOf: (exploring: boolean) => Judge, o: LifecycleOptions, index: number, seed: number, numRuns: number, path?: string, replayPath?: string): Promise<LaneOutcome> {
  // Each lane names its resources apart: where names are unique, lanes must not take each other's.
  const lanePrefix = `${o.namePrefix}l${index}-`;
  const arbs = commandArbitraries(o.world.profile, { ...o, namePrefix: lanePrefix });
  let blocked: TargetBlocked | undefined;
  let log: string[] = [];
  /** One property; `shrinkBudgetMs` bounds the time from its first failure (undefined: no bound). */
  const property = (judge: Judge, commandsReplayPath: string | undefined, shrinkBudgetMs?: number) => {
    let firstFailure: number | undefined;
    const state = { shrinkCut: false };
    const prop = fc.asyncProperty(fc.commands(arbs, { maxCommands: o.maxCommands, size: 'max', replayPath: commandsReplayPath }), async (cmds) => {
      // Once the target blocks (over quota), the remaining examples are skipped, not failed.
      fc.pre(!blocked);
      // Out of shrinking time: every further candidate counts as passing, so shrinking stops here.
      if (firstFailure !== undefined && shrinkBudgetMs !== undefined && performance.now() - firstFailure > shrinkBudgetMs) {
        state.shrinkCut = true;
        return;
      }
      const real: Real = { ...o.judged(judge), parentId: o.parentId, ids: new Map(), log: [] };
      try {
        await fc.asyncModelRun(() => ({ model: emptyModel() as Model, real }), cmds);
      } catch (error) {
        if (error instanceof TargetBlocked) blocked = error;
        else {
          firstFailure ??= performance.now();
          throw error;
        }
      } finally {
        log = real.log;
        // Each example starts from nothing: what it left alive is removed before the next, also what
        // the target made of a request it should have refused (the lane's names tell).
        const ids = new Set(real.ids.values());
        await cleanup(o.world.api, o.world.ledger, (e) => Boolean((e.id && ids.has(e.id)) || e.name?.startsWith(lanePrefix)), false);
      }
    });
    return { prop, state, shrinkStarted: () => firstFailure };
  };

  const explore = judgeOf(true);
  const exploring = property(explore, replayPath, path === undefined ? o.shrinkBudgetMs : undefined);
  const details = await fc.check(exploring.prop, { seed, numRuns, path, endOnFailure: path !== undefined });
  const records = [explore.record()];
  if (blocked) return { seed, runs: details.numRuns, records, failed: false, blocked: blocked.message };
  if (!details.failed || !details.counterexample) return { seed, runs: details.numRuns, records, failed: details.failed };

  const shrinkStarted = exploring.shrinkStarted();
  const shrinkSeconds = shrinkStarted === undefined ? 0 : Math.round((performance.now() - shrinkStarted) / 100) / 10;
  const printed = String(details.counterexample[0]);
  const shrunkReplayPath = /replayPath="([^"]*)"/.exec(printed)?.[1] ?? '';
  const replay = `${details.counterexamplePath}@${shrunkReplayPath}`;
  // The smallest case once more, with a judge that records: its failures are the evidence.
  const recorder = judgeOf(false);
  log = [];
  await fc.check(property(recorder, shrunkReplayPath).prop, { seed, numRuns: 1, path: details.counterexamplePath, endOnFailure: true });
  const counterexample: PropertyCounterexample = {
    seed,
    path: replay,
    commands: log.length ? log : [printed.replace(/\s*\/\*replayPath=.*?\*\//, '')],
    replay: o.replayCommand(seed, replay),
    runs: details.numRuns,
    shrink: { steps: details.numShrinks, seconds: shrinkSeconds, stoppedByBudget: exploring.state.shrinkCut, budgetSeconds: o.shrinkBudgetMs / 1000 },
  };
  const replayRecord = recorder.record();
  for (const f of replayRecord.findings) if (f.outcome === 'fail') f.counterexample = counterexample;
  if (!replayRecord.findings.some((f) => f.outcome === 'fail')) {
    // The case did not fail again (a flaky target): say so rather than lose it.
    const original = details.errorInstance instanceof CheckFailed ? details.errorInstance.finding.clause : undefined;
    replayRecord.findings.push({
      clause: original ?? o.world.profile.model.lifecycle.becomesReady,
      check: 'property.replay',
      outcome: 'fail',
      count: 1,
      title: 'a failing lifecycle case did not fail again when replayed',
      expected: 'the same failure on replay',
      actual: String((details.errorInstance as Error)?.message ?? details.errorInstance).slice(0, 300),
      exchanges: [],
      counterexample,
    });
  }
  return { seed, runs: details.numRuns, records: [...records, replayRecord], failed: true };
}
