import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  // Forge serves the resource from its own path: assets must be relative (manifest.yml: resources[].path).
  base: './',
  build: { outDir: 'build/main', emptyOutDir: true },
  test: { globals: true, environment: 'node', include: ['src/**/*.test.{ts,tsx}'] },
});
