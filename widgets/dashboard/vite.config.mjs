// The supervisor dashboard and admin pages: a page app served at /dashboard/.
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  base: '/dashboard/',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: { target: 'es2020', sourcemap: false },
});
