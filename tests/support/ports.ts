import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';

/**
 * Ports for the platforms' services. A port the OS hands out (listen on 0) is free when asked but stays free
 * only until the child binds it, seconds later; meanwhile another jest worker can be handed the same port, and
 * one test's service then answers for another's (CI once read a 401 from another test's gateway, which had
 * API keys). So each jest worker draws from a block of its own, below the ephemeral range (32768–60999 on
 * Linux, where outgoing connections take their local ports), in slots of 100: replica i listens on +10·i.
 */
const BASE = 20_000;
const BLOCK = 3_000; // workers 1–4: 20000–31999
const SLOTS = BLOCK / 100;
const block = BASE + ((Number(process.env.JEST_WORKER_ID ?? '1') - 1) % 4) * BLOCK;
// each test file has its own copy of this module: it starts anywhere, the file before may still be closing
let slot = randomInt(SLOTS);

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** A port for a platform's service (its replicas: + 10·i), free now, in this jest worker's block alone. */
export async function servicePort(): Promise<number> {
  for (let tries = 0; tries < SLOTS; tries++) {
    const port = block + (slot++ % SLOTS) * 100;
    if (await canListen(port)) return port;
  }
  throw new Error(`no free slot in this jest worker's ports ${block}–${block + BLOCK - 1}`);
}
