import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the WAL back into the bus file from a worker thread. SQLite's automatic checkpoint would run inside
 * the commit of whichever publisher crosses the threshold, adding about 40 % to every publish on this
 * machine; the bus connections turn it off (`wal_autocheckpoint = 0`) and this thread does it instead, so
 * the WAL stays bounded while nobody's commit waits for it. A PASSIVE checkpoint never blocks readers or
 * writers; when several processes run one, SQLite lets one through and the others return at once.
 * One thread per file per process, shared by every connection of this process to that file. Service stores
 * use it too (service-kit's `checkpointInBackground`).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage(String(err)); }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');
const running = new Map<string, { worker: Worker; users: number; exited: Promise<void> }>();

/** Starts (or joins) the checkpointer of `path`; the returned function leaves it. */
export function startCheckpointer(
  path: string,
  intervalMs: number,
  onError: (err: unknown) => void,
): () => Promise<void> {
  let entry = running.get(path);
  if (!entry) {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs } });
    worker.unref();
    worker.on('message', (text: string) => onError(new Error(`checkpoint of ${path}: ${text}`)));
    worker.on('error', onError);
    // recorded at start: a thread that already died (an error) must not make close() wait forever
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    entry = { worker, users: 0, exited };
    running.set(path, entry);
  }
  entry.users++;
  const mine = entry;
  let left = false;
  return async () => {
    if (left) return;
    left = true;
    if (--mine.users > 0) return;
    running.delete(path);
    mine.worker.ref(); // keep the process alive until the thread has closed its connection
    mine.worker.postMessage('close');
    await mine.exited;
  };
}
