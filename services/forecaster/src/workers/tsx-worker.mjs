// A worker thread under tsx (development, tests, benchmarks): tsx's loader does not reach worker threads on
// Node 20, so the thread registers it itself, then loads the TypeScript worker named in its workerData.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
const worker = await import(workerData.tsWorker);
export default worker.default;
export const train = worker.train;
