// Snapshot handlers: create, list, show, delete. DWS has no update or metadata operation.
import { badParameter, inProgress, notFound } from './errors.ts';
import { type Ctx, type Reply, empty, json } from './http.ts';
import type { Snapshot } from './store.ts';
import { snapshotCreate } from './validation.ts';
import { snapshotDetail, snapshotItem } from './views.ts';

// Unknown ids, well-formed or not, are 404 DWS.0015 (see errors.ts for the 403/404 disagreement).
function existing(ctx: Ctx, id: string): Snapshot {
  const snapshot = ctx.store.snapshot(ctx.projectId, id);
  if (!snapshot) throw notFound();
  return snapshot;
}

// The seed calls names "case-insensitive": `Snap-A` and `snap-a` are the same name in a project.
function nameTaken(ctx: Ctx, name: string): boolean {
  const same = ctx.faults.has('case-sensitive-unique')
    ? (other: string) => other === name
    : (other: string) => other.toLowerCase() === name.toLowerCase();
  return ctx.store.snapshots(ctx.projectId).some((s) => same(s.name));
}

// Preconditions in this order: the cluster exists (404), is AVAILABLE (400), the name is free
// (400), and the cluster is not already taking a snapshot (409).
export function createSnapshot(ctx: Ctx): Reply {
  const input = snapshotCreate(ctx.body(), ctx.faults);
  const cluster = ctx.store.cluster(ctx.projectId, input.clusterId);
  if (!cluster) throw notFound();
  if (cluster.status !== 'AVAILABLE') {
    throw badParameter(`The cluster ${cluster.id} is ${cluster.status}; a snapshot can be created only for an AVAILABLE cluster.`);
  }
  if (nameTaken(ctx, input.name)) throw badParameter(`A snapshot named '${input.name}' already exists.`);
  const creating = ctx.store.snapshots(ctx.projectId).some((s) => s.clusterId === cluster.id && s.status === 'CREATING');
  if (creating) throw inProgress(`Another operation is in progress: cluster ${cluster.id} is already taking a snapshot.`);

  const snapshot = ctx.store.addSnapshot(cluster, input.name, input.description);
  const body = ctx.faults.has('create-returns-full') ? snapshotDetail(snapshot, cluster, ctx.faults) : { id: snapshot.id };
  return json(ctx.faults.has('create-returns-202') ? 202 : 200, { snapshot: body });
}

// No query parameter is documented for this list (no pagination, no filter); any given is ignored.
export function listSnapshots(ctx: Ctx): Reply {
  const snapshots = ctx.store.snapshots(ctx.projectId).map((s) => snapshotItem(s, ctx.faults));
  const body: Record<string, unknown> = { snapshots };
  if (!ctx.faults.has('no-count')) body.count = snapshots.length + (ctx.faults.has('count-wrong') ? 1 : 0);
  return json(200, body);
}

// The sort keys of the cluster's list: the columns the vendor's page names, and what they sort by.
const CLUSTER_LIST_SORT: Record<string, (s: Snapshot, clusterName: string) => string> = {
  name: (s) => s.name,
  clusterName: (_, clusterName) => clusterName,
  startTime: (s) => s.started,
};

/** A non-negative integer query value; anything else is DWS.0001. */
function count(ctx: Ctx, name: string, min: number): number | undefined {
  const raw = ctx.url.searchParams.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw badParameter(`The parameter ${name} must be an integer of at least ${min}.`);
  return Number(raw);
}

// GET /clusters/{cluster_id}/snapshots: the cluster's snapshots, sorted by sort_key/sort_dir (the
// order of creation, oldest first, by default), then paged. `offset` counts pages of `limit`
// snapshots, as the current page says ("page number minus 1"); without a limit there is one page,
// and an offset counts snapshots. `count` is how many the cluster has, whatever the page.
export function listClusterSnapshots(ctx: Ctx, clusterId: string): Reply {
  const cluster = ctx.store.cluster(ctx.projectId, clusterId);
  if (!cluster) throw notFound();
  const limit = count(ctx, 'limit', 1);
  const offset = count(ctx, 'offset', 0) ?? 0;
  const key = ctx.url.searchParams.get('sort_key');
  const dir = ctx.url.searchParams.get('sort_dir')?.toLowerCase() ?? 'asc';
  if (key !== null && !Object.hasOwn(CLUSTER_LIST_SORT, key)) throw badParameter(`Invalid sort_key '${key}': one of ${Object.keys(CLUSTER_LIST_SORT).join(', ')}.`);
  if (dir !== 'asc' && dir !== 'desc') throw badParameter(`Invalid sort_dir '${dir}': asc or desc.`);
  let all = ctx.store.snapshots(ctx.projectId).filter((s) => s.clusterId === cluster.id);
  if (key !== null && !ctx.faults.has('cluster-list-sort-ignored')) {
    const by = CLUSTER_LIST_SORT[key]!;
    all = [...all].sort((a, b) => (by(a, cluster.name) < by(b, cluster.name) ? -1 : by(a, cluster.name) > by(b, cluster.name) ? 1 : 0));
  }
  if (dir === 'desc') all = [...all].reverse();
  const size = ctx.faults.has('cluster-list-limit-ignored') ? undefined : limit;
  const skip = ctx.faults.has('cluster-list-offset-ignored') ? 0 : size === undefined ? offset : offset * size;
  const page = all.slice(skip, size === undefined ? undefined : skip + size);
  return json(200, { snapshots: page.map((s) => snapshotItem(s, ctx.faults)), project_id: ctx.projectId, cluster_id: cluster.id, count: all.length });
}

export function showSnapshot(ctx: Ctx, id: string): Reply {
  const snapshot = existing(ctx, id);
  const cluster = ctx.store.cluster(ctx.projectId, snapshot.clusterId);
  return json(200, { snapshot: snapshotDetail(snapshot, cluster, ctx.faults) });
}

// Manual snapshots that are AVAILABLE or UNAVAILABLE can be deleted. One still CREATING, or one
// whose deletion is already under way, is busy: 409 DWS.0011.
export function deleteSnapshot(ctx: Ctx, id: string): Reply {
  const snapshot = existing(ctx, id);
  if (snapshot.status === 'CREATING') {
    throw inProgress(`Another operation is in progress: snapshot ${snapshot.id} is still being created.`);
  }
  if (snapshot.deleting) throw inProgress(`Another operation is in progress: snapshot ${snapshot.id} is being deleted.`);
  ctx.store.deleteSnapshot(snapshot);
  return empty(ctx.faults.has('delete-returns-200') ? 200 : 202);
}
