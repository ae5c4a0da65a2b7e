// Proves that a deployed service folder (`pnpm deploy --prod --legacy <dir>`) can use its native modules, the
// way the service itself reaches them: better-sqlite3 (resolved from @stockpulse/service-kit's place in the
// folder) opens a database and runs a statement; pulsar-client (from @stockpulse/bus) loads its binding and
// makes a client. `require('<dir>/node_modules/better-sqlite3')` proves nothing: pnpm does not hoist it there,
// and requiring the package loads no binding.
//   node check-native.mjs <dir> [--pulsar required|optional]
// Exit 0 when every required module works; 1 naming the one that does not. Plain JavaScript: the runtime
// image has no TypeScript loader.
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? '.');
const pulsar = process.argv.includes('--pulsar')
  ? process.argv[process.argv.indexOf('--pulsar') + 1]
  : 'required';
const fromService = createRequire(join(dir, 'package.json'));
const from = (pkg) => createRequire(fromService.resolve(pkg));

let failed = false;
try {
  const Database = from('@stockpulse/service-kit')('better-sqlite3');
  const db = new Database(':memory:');
  const { v } = db.prepare('SELECT sqlite_version() AS v').get();
  db.close();
  console.log(`${dir}: better-sqlite3 works (SQLite ${v})`);
} catch (err) {
  console.error(`${dir}: better-sqlite3 does not work: ${err.message.split('\n')[0]}`);
  failed = true;
}
try {
  const Pulsar = from('@stockpulse/bus')('pulsar-client');
  const client = new Pulsar.Client({ serviceUrl: 'pulsar://127.0.0.1:1', operationTimeoutSeconds: 1 });
  await client.close();
  console.log(`${dir}: pulsar-client's native binding works`);
} catch (err) {
  const line = `${dir}: pulsar-client's native binding does not load: ${err.message.split('\n')[0]}`;
  if (pulsar === 'required') {
    console.error(line);
    failed = true;
  } else console.log(`${line} (optional here: the services fall back to Pulsar's WebSocket API)`);
}
process.exit(failed ? 1 : 0);
