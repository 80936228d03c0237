import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const lib = (name: string) => fileURLToPath(new URL(`../../libs/${name}/src/index.ts`, import.meta.url));

// The backoffice talks only to the cloud's public API. In development Vite proxies /api to a cloud
// on CLOUD_URL (default http://127.0.0.1:3000); in production the cloud serves the built files.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: { alias: { '@app/contracts': lib('contracts') } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      // zod ships `@__PURE__` comments in places Rollup cannot use; Rollup drops them and says so
      // for each, which buries the build's own output. Only that warning, only for dependencies.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/')) return;
        warn(warning);
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': process.env.CLOUD_URL ?? 'http://127.0.0.1:3000', '/healthz': process.env.CLOUD_URL ?? 'http://127.0.0.1:3000' },
  },
});
