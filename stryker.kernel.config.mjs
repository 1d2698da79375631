// The --kernel half of `npm run mutate`: stryker.config.json's settings, over the client, the
// socket and the API's links, with the tests that drive them against the kernel (run inside a
// throwaway namespace).
import { readFileSync } from 'node:fs';

const base = JSON.parse(readFileSync(new URL('./stryker.config.json', import.meta.url), 'utf8'));

// Each test file is run by node itself, where tap's whole-file limit is 30 s: the test command's
// (test/inside.sh: --timeout=600) instead. A mutant that hangs is still stopped by timeoutMS.
process.env.TAP_TIMEOUT ??= '600';

export default {
  ...base,
  timeoutMS: 60000,
  tap: {
    testFiles: [
      'dist/test/client.test.js', 'dist/test/reliability.test.js', 'dist/test/workers.test.js', 'dist/test/netns-leak.test.js',
      'dist/test/client-logic.test.js', 'dist/test/readiness.test.js', 'dist/test/stream-reads.test.js', 'dist/test/socket.test.js',
      'dist/test/socket-faults.test.js', 'dist/test/socket-reads.test.js',
      'dist/test/netns.test.js',
      // The API's links (src/api/link*.ts), fastest files first: a mutant stops at the first that fails.
      'dist/test/link-settings.test.js', 'dist/test/link-group.test.js', 'dist/test/netns-links.test.js', 'dist/test/json.test.js',
      'dist/test/tour.test.js', 'dist/test/batching.test.js', 'dist/test/bad-input.test.js', 'dist/test/route.test.js',
      'dist/test/macvlan.test.js', 'dist/test/link.test.js', 'dist/test/seeds/bridge.test.js', 'dist/test/seeds/passthru.test.js',
      'dist/test/seeds/source.test.js', 'dist/test/seeds/vepa.test.js', 'dist/test/bad-input-catalogue.test.js',
    ],
  },
  mutate: ['src/client.ts', 'src/socket/*.ts', 'src/api/link*.ts'],
  jsonReporter: { fileName: 'reports/mutation/kernel.json' },
  htmlReporter: { fileName: 'reports/mutation/kernel.html' },
};
