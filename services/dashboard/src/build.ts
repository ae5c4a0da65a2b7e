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
 * Builds the page with Vite when its bundle is missing or older than its sources (the container image builds
 * it beforehand; `pnpm start` and the tests build it here, once).
 */
export async function ensureBuilt(log: { info(msg: string): void }): Promise<void> {
  const index = join(DIST, 'index.html');
  const sources = Math.max(newest(join(WEB, 'src')), statSync(join(WEB, 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  log.info('building the dashboard page (vite)');
  const { build } = await import('vite');
  await build({ root: WEB, logLevel: 'warn', configFile: join(WEB, 'vite.config.ts') });
}
