/**
 * The Web Worker that checks and makes a trustee's shuffle (lib/mix-step.js), so the
 * trustee page stays responsive for the minute it takes. It receives the record's
 * entries, the server's input, the question and the trustee, and answers with
 * progress lines, then the shuffle or the reason it refused. Not a page.
 */

import { makeShuffle } from './lib/mix-step.js';

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  self.onmessage = (event) => {
    const { entries, served, question, index } = event.data;
    try {
      const made = makeShuffle(entries, served, question, index, (text) => self.postMessage({ progress: text }));
      self.postMessage({ made });
    } catch (error) {
      self.postMessage({ error: String(error && error.message ? error.message : error) });
    }
  };
}
