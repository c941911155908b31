import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  // hls.js is one chunk of about 520 kB, loaded only by the player; splitting it would gain nothing.
  build: { chunkSizeWarningLimit: 700 },
  server: {
    // In dev, the API runs beside vite; the production build is served by the API itself on one origin.
    proxy: { '/api': process.env.API_URL || 'http://127.0.0.1:3000' },
  },
});
