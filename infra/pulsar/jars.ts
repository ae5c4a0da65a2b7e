/**
 * The local broker's jars: resolved once from Maven Central (pom.xml, settings.xml) into a cache keyed by the
 * POM's content, so a second start downloads nothing and a changed POM resolves afresh. Needs Java 17+ always
 * and Maven only while the cache is empty; each missing piece fails with one line saying what to install.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const PULSAR_DIR = dirname(fileURLToPath(import.meta.url));

/** A failure of the local broker's set-up, said in one line (what is missing and how to get it). */
export class LocalPulsarError extends Error {
  override readonly name = 'LocalPulsarError';
}

/** `java` of JAVA_HOME when set, else the one on the PATH; checked to be Java 17 or newer. */
export function javaCommand(): string {
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const run = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (run.error)
    throw new LocalPulsarError(
      `Java 17 or newer is needed to run Pulsar, and '${java}' was not found (apt-get install openjdk-17-jre-headless, or set JAVA_HOME)`,
    );
  const major = Number(/version "(\d+)/.exec(run.stderr)?.[1] ?? 0);
  if (major < 17)
    throw new LocalPulsarError(
      `Pulsar 4 needs Java 17 or newer; '${java}' is Java ${major || 'of an unknown version'} (set JAVA_HOME to a newer JDK)`,
    );
  return java;
}

const cacheRoot = () =>
  process.env.STOCKPULSE_CACHE_DIR ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'stockpulse');

/** Where the jars of this pom.xml live once resolved. */
export function jarsDir(): string {
  const pom = readFileSync(join(PULSAR_DIR, 'pom.xml'));
  const key = createHash('sha256').update(pom).digest('hex').slice(0, 12);
  return join(cacheRoot(), `pulsar-${key}`, 'lib');
}

/**
 * The classpath of the broker and its tools (`<dir>/*`). Resolves the jars first when the cache lacks them,
 * telling `progress` how far it got every few seconds (the first time downloads about 235 MB).
 */
export async function pulsarClasspath(
  progress: (line: string) => void = () => {},
  signal?: AbortSignal,
): Promise<string> {
  const lib = jarsDir();
  if (existsSync(join(lib, '.complete'))) return join(lib, '*');
  if (spawnSync('mvn', ['-v'], { encoding: 'utf8' }).error)
    throw new LocalPulsarError(
      "the Pulsar jars are not cached yet and Maven is needed to fetch them once: 'mvn' was not found (apt-get install maven)",
    );
  const staging = `${lib}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(lib), { recursive: true });
  progress(`resolving the Pulsar jars from Maven Central into ${dirname(lib)} (once; about 235 MB)`);
  const started = Date.now();
  const mvn = spawn(
    'mvn',
    [
      '-B',
      '-s',
      'settings.xml',
      '-f',
      'pom.xml',
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
    ],
    { cwd: PULSAR_DIR, stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) },
  );
  let downloaded = 0;
  const errors: string[] = [];
  createInterface({ input: mvn.stdout }).on('line', (line) => {
    if (line.startsWith('Downloaded from')) downloaded++;
    if (line.startsWith('[ERROR]') && errors.length < 3) errors.push(line.slice(8).trim());
  });
  const ticker = setInterval(
    () => progress(`  … ${downloaded} files downloaded (${Math.round((Date.now() - started) / 1000)} s)`),
    5000,
  );
  mvn.on('error', () => {}); // an abort: the exit below says so
  const code = await new Promise<number | null>((resolve) => mvn.once('exit', resolve));
  clearInterval(ticker);
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new LocalPulsarError(
      `Maven could not resolve the Pulsar jars (exit ${code}): ${errors.find(Boolean) ?? 'see mvn output'}`,
    );
  }
  writeFileSync(join(staging, '.complete'), new Date().toISOString());
  rmSync(lib, { recursive: true, force: true });
  renameSync(staging, lib);
  progress(`jars resolved in ${Math.round((Date.now() - started) / 1000)} s (${downloaded} downloads)`);
  return join(lib, '*');
}
