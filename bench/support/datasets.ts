import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The public datasets the benchmarks score against (../shared/datasets beside the repository, each folder
 * with its SOURCE.md), or STOCKPULSE_DATASETS. Stops with one clear line when they are not there.
 */
export function dataset(file: string): string {
  const root = process.env.STOCKPULSE_DATASETS
    ? resolve(process.env.STOCKPULSE_DATASETS)
    : fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
  const path = join(root, file);
  if (!existsSync(path)) {
    process.stderr.write(
      `${path} not found: the benchmarks read the public datasets from ../shared/datasets beside the repository; set STOCKPULSE_DATASETS to their folder\n`,
    );
    process.exit(2);
  }
  return path;
}
