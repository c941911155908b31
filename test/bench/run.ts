// `npm run bench -- NAME [NAME...]` runs test/bench/<NAME>.ts and prints its result as JSON on stdout.
//
// The shape of a benchmark module (test/bench/<name>.ts):
//
//   export const description = 'one line for the list of benchmarks';   // optional
//   export async function run(): Promise<Record<string, unknown>> { ... }
//
// - run() sets up what it needs with test/bench/support.ts (startStack, startApi, startWorker, sampleRss,
//   loginDemo, median, cachedFile, ...) and returns one plain JSON-able object: its figures, `machine`
//   (support.machineInfo()), `goals` and whether each goal was met. It does not print the result itself.
// - Logs go to stderr (support.log); stdout carries only the JSON, so `npm run bench -- x > x.json` works.
// - Everything it starts registers with support.onCleanup (the helpers do this); this dispatcher stops it
//   all after run() returns or throws, and on Ctrl-C.
// - Generated inputs are cached in .bench-data/ (git-ignored) via support.cachedFile.
//
// With one NAME the result object is printed as it is; with several, one object keyed by name.
// A benchmark that throws makes the process exit 1; a missed goal does not (it is in the figures).
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { cleanupAll, log } from './support.ts';

const here = import.meta.dirname;
/** Modules in this folder that are machinery, not benchmarks. */
const NOT_BENCHMARKS = new Set(['run', 'support']);

function availableBenchmarks(): string[] {
  return readdirSync(here)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .filter((n) => !NOT_BENCHMARKS.has(n) && !n.startsWith('_'))
    .sort();
}

interface BenchModule {
  run(): Promise<Record<string, unknown>>;
  description?: string;
}

async function load(name: string): Promise<BenchModule> {
  const mod = (await import(pathToFileURL(resolve(here, `${name}.ts`)).href)) as Partial<BenchModule>;
  if (typeof mod.run !== 'function') throw new Error(`test/bench/${name}.ts does not export run()`);
  return mod as BenchModule;
}

async function listAndExit(problem: string): Promise<never> {
  const lines = [problem, '', 'Available benchmarks (npm run bench -- NAME):'];
  for (const name of availableBenchmarks()) {
    const description = await load(name).then((m) => m.description, () => undefined);
    lines.push(`  ${name}${description ? `  ${description}` : ''}`);
  }
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const available = availableBenchmarks();
  if (names.length === 0) await listAndExit('Name the benchmark to run.');
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length > 0) await listAndExit(`Unknown benchmark: ${unknown.join(', ')}.`);

  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      log(`${signal}: stopping what the benchmark started`);
      void cleanupAll().finally(() => process.exit(130));
    });
  }

  const results: Record<string, unknown> = {};
  try {
    for (const name of names) {
      log(`running ${name}`);
      const started = Date.now();
      results[name] = await (await load(name)).run();
      log(`${name} finished in ${Math.round((Date.now() - started) / 1000)} s`);
      await cleanupAll();
    }
  } finally {
    await cleanupAll();
  }
  process.stdout.write(`${JSON.stringify(names.length === 1 ? results[names[0]!] : results, null, 2)}\n`);
}

main().then(
  // Sockets and timers of the benchmarked clients may linger; the result is out, so leave now.
  () => process.exit(0),
  async (e) => {
    log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    await cleanupAll();
    process.exit(1);
  },
);
