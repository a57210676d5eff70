// Clusters, the parents of snapshots: read-only here (two are provisioned per project), shown with
// the members of DWS's cluster list and detail.
import { notFound } from './errors.ts';
import { type Ctx, type Reply, json } from './http.ts';
import type { Cluster, Store } from './store.ts';

const PORT = 8000;

// A private address per cluster, stable for its lifetime, so connection info looks real.
function privateIp(cluster: Cluster): string {
  const n = parseInt(cluster.id.slice(0, 4), 16);
  return `192.168.${(n >> 8) & 0xff}.${(n & 0x7f) + 2}`;
}

export function clusterView(cluster: Cluster, store: Store): Record<string, unknown> {
  // While one of its snapshots is being taken, DWS shows the cluster busy with SNAPSHOTTING.
  const snapshotting = store.snapshots(cluster.projectId).some((s) => s.clusterId === cluster.id && s.status === 'CREATING');
  const ip = privateIp(cluster);
  return {
    id: cluster.id,
    name: cluster.name,
    status: cluster.status,
    // Sub-statuses are documented for AVAILABLE clusters only; the others carry an empty one.
    sub_status: cluster.status === 'AVAILABLE' ? 'NORMAL' : '',
    task_status: snapshotting ? 'SNAPSHOTTING' : '',
    action_progress: {},
    version: cluster.version,
    created: cluster.created,
    updated: cluster.updated,
    node_type: 'dws.m3.xlarge',
    number_of_node: 3,
    port: PORT,
    user_name: 'dbadmin',
    availability_zone: 'az-1a',
    vpc_id: '00000000-0000-4000-8000-00000000000a',
    subnet_id: '00000000-0000-4000-8000-00000000000b',
    security_group_id: '00000000-0000-4000-8000-00000000000c',
    enterprise_project_id: '0',
    endpoints: [{ connect_info: `${ip}:${PORT}`, jdbc_url: `jdbc:postgresql://${ip}:${PORT}/gaussdb` }],
    public_endpoints: [],
    public_ip: { public_bind_type: 'not_use', eip_id: '' },
    recent_event: 0,
    tags: [],
  };
}

export function listClusters(ctx: Ctx): Reply {
  const clusters = ctx.store.clusters(ctx.projectId).map((c) => clusterView(c, ctx.store));
  return json(200, { clusters, count: clusters.length });
}

export function showCluster(ctx: Ctx, id: string): Reply {
  const cluster = ctx.store.cluster(ctx.projectId, id);
  if (!cluster) throw notFound();
  return json(200, { cluster: clusterView(cluster, ctx.store) });
}
