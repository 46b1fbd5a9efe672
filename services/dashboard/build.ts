import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { dashboardDist } from './dist-path';

/** Builds the dashboard with Vite (about a second); the bootstrap and the browser tests call this. */
export async function buildDashboard(): Promise<string> {
  await build({ configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)) });
  return dashboardDist;
}
