/**
 * What this browser saw of a ballot's election before (issue of trust: a
 * server could serve one member its own key with a matching fingerprint).
 * The booth remembers the joint key, the roll digest, the manifest digest and
 * the fingerprint per booth address in localStorage and refuses any change.
 */

const FIELDS = [
  ['public_key', 'election key'],
  ['roll_digest', 'credential roll'],
  ['manifest_digest', 'manifest'],
  ['fingerprint', 'fingerprint'],
];

function storageKey(place) {
  return `omov-booth-pin:${place}`;
}

/**
 * Compare `seen` ({public_key, roll_digest, manifest_digest, fingerprint}, hex)
 * with what was stored for `place`; store it on a first visit. Throws with a
 * plain message naming what changed.
 */
export function checkPinned(place, seen, storage = window.localStorage) {
  let before = null;
  try {
    before = JSON.parse(storage.getItem(storageKey(place)) ?? 'null');
  } catch {
    before = null;
  }
  if (before !== null && typeof before === 'object') {
    const changed = FIELDS.filter(([field]) => before[field] !== seen[field]).map(([, name]) => name);
    if (changed.length) {
      throw new Error(`this ballot's ${changed.join(', ')} differ from what this browser saw on an earlier visit. `
        + 'An honest server never changes them once voting is open: do not vote here, and tell the credential '
        + 'authority and the trustees');
    }
    return;
  }
  const record = Object.fromEntries(FIELDS.map(([field]) => [field, seen[field]]));
  storage.setItem(storageKey(place), JSON.stringify(record));
}
