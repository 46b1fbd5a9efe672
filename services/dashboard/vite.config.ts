import { defineConfig } from 'vite';

// Everything is bundled: the dashboard loads nothing from a CDN at run time.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  logLevel: 'warn',
});
