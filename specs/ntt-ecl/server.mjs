// What ECL's reference server does beyond its documents: its named faults, each a way to get the
// vendor's own conventions wrong that its clauses must catch (src/servers/profile/addon.ts).
/** @typedef {import('../../src/servers/profile/addon.ts').ServerAddon} ServerAddon */

/** How long a snapshot stays creating under create-async. */
const CREATING_MS = 15;

/** @type {ServerAddon} */
export default {
  faults: {
    'create-async': { does: 'the create answers 202 with the snapshot creating, available a moment later', catches: ['ECL-API-01', 'ECL-LIFE-02'] },
    'no-api-error-message': { does: 'successful answers lack the top-level api_error_message', catches: ['ECL-API-08'] },
    'created-at-format': { does: 'created_at is written 2017-01-25 07:01:03 (no T, no offset)', catches: ['ECL-API-07'] },
  },

  created(call, stored) {
    if (call.operationId !== 'createSnapshot' || !call.has('create-async')) return;
    const settle = (status) => {
      stored.status = status;
      stored.object.status = status;
    };
    settle('creating');
    call.store.timers.later(CREATING_MS, () => settle('available'));
  },

  view(call, reply) {
    if (reply.status >= 400 || !reply.body) return;
    if (call.has('no-api-error-message')) delete reply.body.api_error_message;
    if (call.has('created-at-format')) {
      const views = [reply.body.snapshot, ...(reply.body.snapshots ?? [])].filter(Boolean);
      for (const v of views) if (typeof v.created_at === 'string') v.created_at = v.created_at.replace('T', ' ').slice(0, 19);
    }
    if (call.has('create-async') && call.operationId === 'createSnapshot') reply.status = 202;
  },
};
