import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startApiProcess } from '../support/role-processes';

// Under `pnpm test` (SHOTCALLER_PROGRAM=compiled) the role below is the packaged program, as the image
// runs it; otherwise the sources.
describe('the api role in a process of its own', () => {
  let api: Awaited<ReturnType<typeof startApiProcess>> | undefined;
  afterAll(() => api?.stop());

  it('serves the dashboard and answers ready', async () => {
    api = await startApiProcess(`t-packaged-${process.pid}`, {});
    const page = await fetch(`${api.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="app">/);
    expect((await fetch(`${api.baseUrl}/readyz`)).status).toBe(200);
  });
});

const packaged = fileURLToPath(new URL('../../out/shotcaller', import.meta.url));

/** The files of a package, not of its dependencies. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe.runIf(process.env.SHOTCALLER_PROGRAM === 'compiled')('the packaged program (out/shotcaller)', () => {
  it('holds no TypeScript source of its own, only what each package compiled and its assets', () => {
    // Every workspace package in the package, the program's dependencies' too (the api's dashboard).
    const store = join(packaged, 'node_modules/.pnpm');
    const ours = readdirSync(store)
      .filter((d) => d.startsWith('@shotcaller+'))
      .map((d) => join(store, d, 'node_modules/@shotcaller', d.slice('@shotcaller+'.length).split('@')[0]!));
    expect(ours.length).toBeGreaterThan(20);
    const files = [packaged, ...ours].flatMap(filesUnder);
    expect(files.filter((f) => /\.tsx?$/.test(f))).toEqual([]);
    expect(files.some((f) => f.endsWith('/events/dist/commands/append-event.lua'))).toBe(true);
    expect(files.some((f) => f.endsWith('/vendor-tickets/dist/workflow-bundle.js'))).toBe(true);
    expect(files.some((f) => f.endsWith('dashboard/dist/index.html'))).toBe(true);
  });

  it("keeps the Temporal bridge's native module for this platform and no other", () => {
    const pnpmDir = join(packaged, 'node_modules/.pnpm');
    const bridgeDir = readdirSync(pnpmDir).find((d) => d.startsWith('@temporalio+core-bridge@'));
    expect(bridgeDir).toBeDefined();
    const releases = join(pnpmDir, bridgeDir!, 'node_modules/@temporalio/core-bridge/releases');
    const targets = readdirSync(releases);
    expect(targets).toHaveLength(1);
    expect(existsSync(join(releases, targets[0]!, 'index.node'))).toBe(true);
  });
});
