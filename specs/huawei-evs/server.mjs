// What EVS's reference server does beyond its documents: its named faults, each a way to get the
// vendor's own rules wrong that its clauses must catch (src/servers/profile/addon.ts).
/** @typedef {import('../../src/servers/profile/addon.ts').ServerAddon} ServerAddon */
/** @typedef {import('../../src/servers/profile/addon.ts').Broken} Broken */

const TEXTS = ['/snapshot/name', '/snapshot/description'];
const LISTS = ['listSnapshots', 'listSnapshotsDetail'];

/** @type {ServerAddon} */
export default {
  faults: {
    'chars-not-bytes': { does: 'the limits of names and descriptions count characters, not UTF-8 bytes', catches: ['EVS-LIM-01', 'EVS-LIM-02'] },
    'bytes-off-by-one': { does: 'a name or description of exactly 255 bytes is refused', catches: ['EVS-LIM-01', 'EVS-LIM-02'] },
    'description-control-chars-accepted': { does: 'a description holding control characters is accepted', catches: ['EVS-LIM-07'] },
    'reserved-prefix-overbroad': { does: 'a name holding autobk_snapshot anywhere, in any case, is refused (not only the prefix)', catches: ['EVS-LIM-05'] },
    'reserved-prefix-undeletable': { does: 'a snapshot named with the reserved prefix cannot be deleted (403)', catches: ['EVS-LIM-05'] },
    'numeric-error-code': { does: 'error codes are the HTTP status as a number, not an EVS.NNNN string', catches: ['EVS-ERR-01'] },
    'links-wrong-type': { does: 'snapshots_links is the next URL as a string, not a list of links', catches: ['EVS-LIST-03'] },
    'limit-over-1000-accepted': { does: 'a limit above 1000 is accepted', catches: ['EVS-LIST-05'] },
    'limit-max-refused': { does: 'a limit of 1000, the largest documented, is refused', catches: ['EVS-LIST-01'] },
    'limit-zero-accepted': { does: 'a limit of 0 is accepted', catches: ['EVS-LIST-05'] },
    'bad-offset-accepted': { does: 'an offset that is negative or not an integer is accepted', catches: ['EVS-LIST-05'] },
  },

  answer(call) {
    if (call.operationId !== 'deleteSnapshot' || !call.has('reserved-prefix-undeletable')) return;
    const stored = call.store.resources.get(call.params.snapshot_id);
    if (stored?.object.name?.startsWith(call.profile.model.reservedPrefix.prefix)) throw call.refuse('invalid-state', 'Policy check failed.', 403);
  },

  validate(call, broken) {
    const texts = TEXTS.map((at) => [at, call.body?.snapshot?.[at.split('/')[2]]]).filter(([, v]) => typeof v === 'string');
    const limit = call.profile.doc.components.schemas.Name['x-maxBytes'];
    if (call.has('bytes-off-by-one') && texts.some(([, v]) => Buffer.byteLength(v) === limit)) throw call.refuse('invalid-body', `At most ${limit - 1} bytes.`);
    const near = call.profile.model.reservedPrefix.prefix.slice(0, -1);
    const name = call.body?.snapshot?.name;
    if (call.operationId === 'createSnapshot' && call.has('reserved-prefix-overbroad') && String(name).toLowerCase().includes(near)) throw call.refuse('invalid-body', 'The name is reserved for backups.');
    const max = call.profile.doc.components.parameters.Limit.schema.maximum;
    if (LISTS.includes(call.operationId) && call.has('limit-max-refused') && call.url.searchParams.get('limit') === String(max)) throw call.refuse('invalid-query', `limit must be less than ${max}.`);
    /** @param {Broken} b */
    const forgiven = (b) =>
      (TEXTS.includes(b.at) && b.keyword === 'x-maxBytes' && call.has('chars-not-bytes') && [...call.body.snapshot[b.at.split('/')[2]]].length <= limit) ||
      (b.at === '/snapshot/description' && b.keyword === 'pattern' && call.has('description-control-chars-accepted')) ||
      (b.in === 'query' && b.at === 'limit' && b.keyword === 'maximum' && call.has('limit-over-1000-accepted')) ||
      (b.in === 'query' && b.at === 'limit' && call.url.searchParams.get('limit') === '0' && call.has('limit-zero-accepted')) ||
      (b.in === 'query' && b.at === 'offset' && call.has('bad-offset-accepted'));
    return broken.filter((b) => !forgiven(b));
  },

  view(call, reply) {
    if (reply.status >= 400 && call.has('numeric-error-code')) for (const inner of Object.values(reply.body ?? {})) if (inner && typeof inner === 'object') inner.code = reply.status;
    const links = reply.body?.snapshots_links;
    if (LISTS.includes(call.operationId) && Array.isArray(links) && call.has('links-wrong-type')) reply.body.snapshots_links = links[0]?.href ?? '';
  },
};
