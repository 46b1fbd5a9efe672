import { fileURLToPath } from 'node:url';

/** Where the built dashboard is (`pnpm build`): the api role serves this folder. */
export const dashboardDist = fileURLToPath(new URL('./dist', import.meta.url));
