// Snapshot bodies: Cinder's fields. Summary lists carry the base fields; show, list detail, create and
// update also carry `os-extended-snapshot-attributes:progress` and `:project_id`.
import type { Snapshot } from '../cinder/store.ts';
import { snapshotView } from '../cinder/views.ts';
import type { EvsCtx } from './context.ts';

export function snapshotBody(s: Snapshot, view: 'summary' | 'detail', ctx: EvsCtx): Record<string, unknown> {
  const body = snapshotView(s, view === 'summary' ? 'list' : 'show', ctx);
  if (ctx.evs.has('status-unknown') && body.status === 'available') body.status = 'ready';
  return body;
}
