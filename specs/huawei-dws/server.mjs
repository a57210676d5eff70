// What DWS's reference server does beyond its documents: its named faults, each a way to get the
// vendor's own rules wrong that its clauses must catch (src/servers/profile/addon.ts).
/** @typedef {import('../../src/servers/profile/addon.ts').ServerAddon} ServerAddon */
/** @typedef {import('../../src/servers/profile/addon.ts').Broken} Broken */

const NAME = '/snapshot/name';
const DESCRIPTION = '/snapshot/description';
/** The keywords of the name's rules (its type is checked apart). */
const RULES = ['minLength', 'maxLength', 'pattern'];

/** The request's snapshot member, as a string where it is one. */
const text = (call, member) => (typeof call.body?.snapshot?.[member] === 'string' ? call.body.snapshot[member] : undefined);

/** @type {ServerAddon} */
export default {
  faults: {
    'create-returns-full': { does: 'the create answers the whole snapshot, not only its id', catches: ['DWS-API-01'] },
    'name-rules-ignored': { does: 'any name is accepted (its length, first letter and characters unchecked)', catches: ['DWS-LIM-01', 'DWS-LIM-02'] },
    'name-first-char-unchecked': { does: 'a name may start with a digit, a hyphen or an underscore', catches: ['DWS-LIM-02'] },
    'name-uppercase-refused': { does: 'a name starting with an upper case letter is refused', catches: ['DWS-LIM-02'] },
    'description-chars-accepted': { does: 'a description holding any of !<>\'=&" is accepted', catches: ['DWS-LIM-05'] },
    'description-forbids-only-html': { does: 'a description is refused for < and > only, not for !\'=&"', catches: ['DWS-LIM-05'] },
    'description-punctuation-refused': { does: 'a description holding punctuation other than - _ . , is refused', catches: ['DWS-LIM-05'] },
    'description-bytes-not-chars': { does: "the description's length is counted in UTF-8 bytes, not characters", catches: ['DWS-LIM-04'] },
  },

  validate(call, broken) {
    if (call.operationId !== 'createSnapshot') return;
    const name = text(call, 'name');
    const description = text(call, 'description');
    if (call.has('name-uppercase-refused') && /^[A-Z]/.test(name ?? '')) throw call.refuse('invalid-body', 'The name must start with a lower case letter.');
    if (call.has('description-punctuation-refused') && /[^\p{L}\p{N}\s\-_.,]/u.test(description ?? '')) throw call.refuse('invalid-body', 'The description holds punctuation.');
    const limit = call.profile.doc.components.schemas.Description.maxLength;
    if (call.has('description-bytes-not-chars') && Buffer.byteLength(description ?? '') > limit) throw call.refuse('invalid-body', `The description is longer than ${limit} bytes.`);
    /** @param {Broken} b */
    const forgiven = (b) =>
      (b.at === NAME && RULES.includes(b.keyword) && call.has('name-rules-ignored')) ||
      (b.at === NAME && b.keyword === 'pattern' && call.has('name-first-char-unchecked') && /^[A-Za-z0-9_-]*$/.test(name ?? '')) ||
      (b.at === DESCRIPTION && b.keyword === 'pattern' && call.has('description-chars-accepted')) ||
      (b.at === DESCRIPTION && b.keyword === 'pattern' && call.has('description-forbids-only-html') && !/[<>]/.test(description ?? ''));
    return broken.filter((b) => !forgiven(b));
  },

  view(call, reply) {
    if (call.operationId !== 'createSnapshot' || reply.status >= 400 || !call.has('create-returns-full')) return;
    const stored = call.store.resources.get(reply.body.snapshot.id);
    return { ...reply, body: { snapshot: { ...stored.object } } };
  },
};
