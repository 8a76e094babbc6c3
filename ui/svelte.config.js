/**
 * Svelte compiler configuration: TypeScript in `<script lang="ts">` via Vite's preprocessor; runes mode is
 * the Svelte 5 default for this project.
 */
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
};
