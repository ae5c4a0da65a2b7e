/**
 * Runs `fn` with stdout silenced. The C and Stan code inside `arima` and Prophet's WASM optimizer print
 * their optimisers' complaints there; a service's stdout is its JSON log and must carry nothing else.
 * Synchronous code only: nothing else runs on this thread meanwhile.
 */
export function quietly<T>(fn: () => T): T {
  const write = process.stdout.write.bind(process.stdout);
  const log = console.log;
  process.stdout.write = () => true;
  console.log = () => {};
  try {
    return fn();
  } finally {
    process.stdout.write = write;
    console.log = log;
  }
}
