import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB = join(dirname(fileURLToPath(import.meta.url)), '../web');
export const DIST = join(WEB, 'dist');

const newest = (dir: string): number =>
  Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  );

/** True when the bundle exists and is newer than every source of the page. */
function fresh(): boolean {
  const index = join(DIST, 'index.html');
  const sources = Math.max(newest(join(WEB, 'src')), statSync(join(WEB, 'index.html')).mtimeMs);
  return existsSync(index) && statSync(index).mtimeMs >= sources;
}

const LOCK = join(WEB, '.build-lock');

/**
 * Builds the page with Vite when its bundle is missing or older than its sources (`pnpm start` and the tests
 * build it here, once; the container image builds it beforehand and ships no sources). One process builds at
 * a time (a lock directory): Vite empties `dist` first, and two dashboards starting together (two test files,
 * two launchers) had one serving a page whose files the other had just removed.
 */
export async function ensureBuilt(log: { info(msg: string): void }): Promise<void> {
  if (!existsSync(join(WEB, 'src'))) return; // a container image: built there, sources not shipped
  if (fresh()) return;
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // another process builds; a lock older than five minutes is left by one that died
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 300_000)
        rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline)
        throw new Error(`the dashboard page is being built by another process (${LOCK})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (fresh()) return;
    log.info('building the dashboard page (vite)');
    const { build } = await import('vite');
    await build({ root: WEB, logLevel: 'warn', configFile: join(WEB, 'vite.config.ts') });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
