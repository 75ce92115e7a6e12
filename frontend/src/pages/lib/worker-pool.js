/**
 * A pool of Web Workers, one per core (navigator.hardwareConcurrency), that
 * check chunks of board lines (tally-worker.js). `pool.check(first, lines)`
 * resolves to that chunk's outcome; chunks go to the least busy worker.
 */

export const WORKER_URL = new URL('./tally-worker.js', import.meta.url);

export function workerCount() {
  const cores = typeof navigator !== 'undefined' ? Number(navigator.hardwareConcurrency) : 0;
  return Number.isInteger(cores) && cores > 0 ? cores : 2;
}

/**
 * @param {object} setup the ballot setup (board-lines.js `ballotSetup`)
 * @param {number} [size] number of workers @param {URL | string} [url]
 */
export function workerPool(setup, size = workerCount(), url = WORKER_URL) {
  const workers = Array.from({ length: size }, () => ({ worker: new Worker(url, { type: 'module' }), busy: 0, fresh: true }));
  const waiting = new Map();
  let nextId = 0;
  for (const slot of workers) {
    slot.worker.onmessage = (event) => {
      const { id, outcome, error } = event.data;
      const job = waiting.get(id);
      waiting.delete(id);
      job.slot.busy -= 1;
      if (error) job.reject(new Error(`A worker could not check the ballots: ${error}`));
      else job.resolve(outcome);
    };
    slot.worker.onerror = (event) => {
      event.preventDefault();
      for (const [id, job] of waiting) {
        if (job.slot === slot) {
          waiting.delete(id);
          job.reject(new Error(`A worker failed: ${event.message || 'it could not be started'}`));
        }
      }
    };
  }
  return {
    size,
    check(first, lines) {
      const slot = workers.reduce((a, b) => (b.busy < a.busy ? b : a));
      const id = nextId++;
      slot.busy += 1;
      const message = { id, first, lines, setup: slot.fresh ? setup : null };
      slot.fresh = false;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject, slot });
        slot.worker.postMessage(message);
      });
    },
    close() {
      for (const slot of workers) slot.worker.terminate();
    },
  };
}
