// The --kernel half of `npm run mutate`: stryker.config.json's settings, over the client and
// the socket, with the tests that drive them against the kernel (run inside a throwaway namespace).
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
    ],
  },
  mutate: ['src/client.ts', 'src/socket/*.ts'],
  jsonReporter: { fileName: 'reports/mutation/kernel.json' },
  htmlReporter: { fileName: 'reports/mutation/kernel.html' },
};
