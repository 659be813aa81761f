import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The Forge Custom UI overview page (manifest.yml resource `overview`): built from forge/index.html into
// build/overview, with relative asset paths as Forge serves resources from their own path.
export default defineConfig({
  plugins: [react()],
  root: 'forge',
  base: './',
  build: { outDir: '../build/overview', emptyOutDir: true },
});
