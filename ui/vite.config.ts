/**
 * Vite configuration for the MotCua Desk UI. The Tauri shell loads `dist/` in builds and the dev server
 * on a fixed port during `tauri dev`; Vitest reuses this file so tests see the same Svelte plugin.
 */
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
