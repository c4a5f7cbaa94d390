// The embeddable chat widget: one IIFE file, widget.js, styles included (injected into its Shadow DOM).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

/** The bundle, socket client included, must stay at or below this many gzipped bytes. */
export const GZIP_BUDGET_BYTES = 40 * 1024;

/** Prints the gzipped size, writes it to size.json beside the bundle, and fails the build above budget. */
function sizeBudget() {
  let outDir = 'dist';
  return {
    name: 'switchboard-size-budget',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle(_options, bundle) {
      const chunk = bundle['widget.js'];
      if (!chunk || chunk.type !== 'chunk') this.error('widget.js was not produced');
      const bytes = Buffer.byteLength(chunk.code);
      const gzipBytes = gzipSync(chunk.code, { level: 9 }).length;
      const report = {
        file: 'widget.js',
        bytes,
        gzipBytes,
        budgetGzipBytes: GZIP_BUDGET_BYTES,
        builtAt: new Date().toISOString(),
      };
      writeFileSync(join(outDir, 'size.json'), `${JSON.stringify(report, null, 2)}\n`);
      const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
      console.log(
        `widget.js: ${kib(bytes)} minified, ${kib(gzipBytes)} gzipped (budget ${kib(GZIP_BUDGET_BYTES)})`,
      );
      if (gzipBytes > GZIP_BUDGET_BYTES) {
        this.error(`widget.js is ${gzipBytes} bytes gzipped, above the ${GZIP_BUDGET_BYTES}-byte budget`);
      }
    },
  };
}

export default defineConfig({
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false }), sizeBudget()],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    target: 'es2020',
    minify: true,
    cssCodeSplit: false,
    sourcemap: false,
    lib: {
      entry: 'src/main.tsx',
      formats: ['iife'],
      name: 'SwitchboardWidget',
      fileName: () => 'widget.js',
    },
  },
});
