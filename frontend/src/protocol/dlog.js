/** Bounded discrete logarithm by baby-step giant-step (sections 9.3, 11.3). */

import { G, Scalar } from './group.js';
import { OmovError } from './errors.js';

/**
 * The t in [0, bound] with `point = t·G`.
 * @param {import('./group.js').Point} point M @param {number} bound N, the number of counted ballots
 * @param {string | null} [field] what is being decrypted, for the error
 */
export function discreteLog(point, bound, field = null) {
  const s = Math.ceil(Math.sqrt(bound + 1));
  const table = new Map();
  let step = G.mulPublic(Scalar.fromInt(0));
  for (let j = 0; j < s; j++) {
    table.set(step.hex(), j);
    step = step.add(G);
  }
  const giant = G.mulPublic(Scalar.fromInt(s));
  let current = point;
  for (let i = 0; i <= s; i++) {
    const j = table.get(current.hex());
    if (j !== undefined) {
      const t = i * s + j;
      if (t <= bound) return t;
      break;
    }
    current = current.sub(giant);
  }
  throw new OmovError(`no total in [0, ${bound}] decrypts this value`, field);
}
