// Puts in npm's cache every package that installing the packed tarball needs (our runtime
// dependencies, as package-lock.json resolves them, and typescript for the consumer type
// check), so that test/package.test.ts can install offline inside the test's network namespace.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
const specs = Object.entries(lock.packages)
  .filter(([path, p]) => path !== '' && !p.dev)
  .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')}@${p.version}`);
specs.push(`typescript@${lock.packages['node_modules/typescript'].version}`);
execFileSync('npm', ['cache', 'add', ...specs], { stdio: ['ignore', 'ignore', 'inherit'] });
