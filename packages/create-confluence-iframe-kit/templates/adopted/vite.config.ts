import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  // The backend serves dist/ui: index.html through the JWT-verified /macro route, the assets as files.
  build: { outDir: 'dist/ui', emptyOutDir: true },
  test: { globals: true, environment: 'node', include: ['src/**/*.test.{ts,tsx}'] },
});
