import { existsSync, readdirSync, statSync } from 'node:fs';
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

/**
 * Builds the page with Vite when its bundle is missing or older than its sources (`pnpm start` and the tests
 * build it here, once; the container image builds it beforehand and ships no sources).
 */
export async function ensureBuilt(log: { info(msg: string): void }): Promise<void> {
  const index = join(DIST, 'index.html');
  if (!existsSync(join(WEB, 'src'))) return; // a container image: built there, sources not shipped
  const sources = Math.max(newest(join(WEB, 'src')), statSync(join(WEB, 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  log.info('building the dashboard page (vite)');
  const { build } = await import('vite');
  await build({ root: WEB, logLevel: 'warn', configFile: join(WEB, 'vite.config.ts') });
}
