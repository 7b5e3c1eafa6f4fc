import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev:studio`: Vite on :5173 with the API proxied to a running `npm start` (API_URL, default :3000).
const api = process.env.API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/studio/',
  plugins: [react()],
  // What a plugin's studio/ code imports the studio's building blocks from, wherever its folder is.
  resolve: { alias: { 'bookflow/studio': path.join(import.meta.dirname, 'src', 'sdk.ts') } },
  build: { outDir: path.join(import.meta.dirname, 'dist'), emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { port: 5173, proxy: { '/api': { target: api, changeOrigin: true } } },
});
