// Compiles the shotcaller program, and every workspace package it runs, to JavaScript: `pnpm build`.
//
// Each package is bundled on its own into the file its package.json names under the
// `shotcaller-compiled` condition (`./dist/index.js`), its third-party and workspace imports left as
// imports. One file per package rather than one for the whole program because code reads files
// beside itself (`new URL('./commands/x.lua', import.meta.url)`): with `src/` copied to `dist/`
// minus the TypeScript, those paths hold in both. Node picks the compiled files when started with
// `--conditions=shotcaller-compiled`; without it, and under tsx, vitest and tsc, the sources.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { build } from 'esbuild';

const condition = 'shotcaller-compiled';
const root = fileURLToPath(new URL('../..', import.meta.url));
const program = '@shotcaller/cli';

interface Manifest {
  name: string;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
}

interface WorkspacePackage {
  dir: string;
  manifest: Manifest;
}

function workspacePackages(): Map<string, WorkspacePackage> {
  const found = new Map<string, WorkspacePackage>();
  for (const group of ['packages', 'services']) {
    for (const name of readdirSync(join(root, group))) {
      const file = join(root, group, name, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
      found.set(manifest.name, { dir: join(root, group, name), manifest });
    }
  }
  return found;
}

/** The program and the workspace packages it depends on at run time (dev dependencies are not shipped). */
function runtimeClosure(all: Map<string, WorkspacePackage>): WorkspacePackage[] {
  const seen = new Map<string, WorkspacePackage>();
  const visit = (name: string) => {
    const pkg = all.get(name);
    if (!pkg || seen.has(name)) return;
    seen.set(name, pkg);
    for (const [dep, range] of Object.entries(pkg.manifest.dependencies ?? {}))
      if (range.startsWith('workspace:')) visit(dep);
  };
  visit(program);
  return [...seen.values()];
}

/** The source and compiled files of a package's main export, as its package.json maps them. */
function mainExport(pkg: WorkspacePackage): { source: string; compiled: string } {
  const dot = pkg.manifest.exports?.['.'];
  const entry = typeof dot === 'object' && dot !== null ? (dot as Record<string, unknown>) : {};
  const compiled = entry[condition];
  const source = entry.default;
  if (typeof compiled !== 'string' || typeof source !== 'string')
    throw new Error(
      `${pkg.manifest.name}: exports["."] must map "${condition}" to the compiled file and "default" to the source, ` +
        `since the program depends on it at run time`,
    );
  return { source, compiled };
}

/** Everything under `from` but the TypeScript (Lua scripts, dictionaries, shell), which code reads beside itself. */
function copyAssets(from: string, to: string): void {
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (statSync(path).isDirectory()) copyAssets(path, join(to, name));
    else if (!/\.tsx?$/.test(name)) cpSync(path, join(to, name));
  }
}

async function compile(pkg: WorkspacePackage): Promise<void> {
  const { source, compiled } = mainExport(pkg);
  const sourceDir = join(pkg.dir, dirname(source));
  const outDir = join(pkg.dir, dirname(compiled));
  // The dashboard's compiled entry sits beside its source, next to the Vite output: nothing to clear.
  const ownsOutDir = outDir !== sourceDir && outDir !== pkg.dir;
  if (ownsOutDir) rmSync(outDir, { recursive: true, force: true });
  const entryPoints = [
    { in: join(pkg.dir, source), out: relative(pkg.dir, join(pkg.dir, compiled)).replace(/\.js$/, '') },
  ];
  if (pkg.manifest.name === program) entryPoints.push({ in: join(pkg.dir, 'src/main.ts'), out: 'dist/main' });
  await build({
    entryPoints,
    outdir: pkg.dir,
    bundle: true,
    // Dependencies stay imports: the deployed node_modules has them, and pnpm keeps each package's own.
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20.11',
    // No shared chunks: a chunk in a folder of its own would read its assets from the wrong place.
    sourcemap: true,
    logLevel: 'warning',
  });
  if (ownsOutDir) copyAssets(sourceDir, outDir);
}

const all = workspacePackages();
const closure = runtimeClosure(all);
await Promise.all(closure.map(compile));

// Bundled now rather than by each temporal-worker at start (webpack, seconds of CPU, tens of MB).
// The vendor package looks for this file beside its compiled index (ticketWorkflows()).
const vendor = all.get('@shotcaller/vendor-tickets');
if (!vendor) throw new Error('@shotcaller/vendor-tickets not found in the workspace');
const { code } = await bundleWorkflowCode({
  workflowsPath: join(vendor.dir, 'src/workflows/index.ts'),
  logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
});
writeFileSync(join(vendor.dir, 'dist/workflow-bundle.js'), code);

// The example production (default policy and rate cards, the demo's shots) ships with the program.
const cli = all.get(program);
if (!cli) throw new Error(`${program} not found in the workspace`);
cpSync(join(root, 'examples'), join(cli.dir, 'dist/examples'), { recursive: true });

console.log(`compiled ${closure.length} packages and the ticket workflows`);
