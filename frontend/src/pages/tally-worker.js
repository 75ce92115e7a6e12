/**
 * The Web Worker that checks board lines for the trustee's count (lib/tally.js):
 * it receives the election's setup once, then chunks of lines, and answers
 * each chunk with `checkLines` (lib/board-lines.js). Loaded by lib/worker-pool.js
 * as `new Worker(…/tally-worker.js, {type: 'module'})`; it is not a page.
 */

import { checkLines, contextFromSetup } from './lib/board-lines.js';

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  let context = null;
  self.onmessage = (event) => {
    const { id, setup, first, lines } = event.data;
    try {
      if (setup) context = contextFromSetup(setup);
      self.postMessage({ id, outcome: checkLines(context, first, lines) });
    } catch (error) {
      self.postMessage({ id, error: String(error && error.message ? error.message : error) });
    }
  };
}
