// The --cli part of `npm run mutate`: the CLI's command files (src/cli/address.ts, route.ts...),
// which only the kernel tests reach. StrykerJS's command runner calls
// scripts/mutate-cli/run-mutant.sh, which runs for each mutant only the CLI test files that reach
// it (recorded in the dry run). Environment:
// - RTNL_MUTATE_CLI_LIST=FILE: only list the mutants (no checker, nothing run) into FILE;
// - RTNL_MUTATE_CLI_PATTERNS=FILE: a JSON array of `mutate` patterns in place of the whole files
//   (a sample's lines, scripts/mutate-cli/sample.mjs);
// - RTNL_MUTATE_CLI_IDS=FILE: the mutant ids to run, one per line; the others exit 0 untried.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const base = JSON.parse(readFileSync(new URL('./stryker.config.json', import.meta.url), 'utf8'));
const env = process.env;
const files = ['src/cli/{address,context,flush,link,main,monitor,neighbour,netconf,netns,nexthop,ntable,route,rule}.ts'];
const mutate = env.RTNL_MUTATE_CLI_PATTERNS ? JSON.parse(readFileSync(env.RTNL_MUTATE_CLI_PATTERNS, 'utf8')) : files;
// Read by run-mutant.sh in the sandbox: absolute paths.
env.RTNL_MUTATE_CLI_COVERAGE = resolve('reports/mutation/cli-coverage');
env.RTNL_MUTATE_CLI_LOG = resolve('reports/mutation/cli-progress.log');
if (env.RTNL_MUTATE_CLI_IDS) env.RTNL_MUTATE_CLI_IDS = resolve(env.RTNL_MUTATE_CLI_IDS);

const list = {
  ...base,
  testRunner: 'command',
  commandRunner: { command: 'true' },
  checkers: [],
  coverageAnalysis: 'off',
  reporters: ['json'],
  mutate,
  jsonReporter: { fileName: env.RTNL_MUTATE_CLI_LIST },
  tempDirName: '.stryker-tmp-cli-list',
};
delete list.buildCommand; // nothing runs

const run = {
  ...base,
  buildCommand: 'npm run build',
  testRunner: 'command',
  commandRunner: { command: 'bash scripts/mutate-cli/run-mutant.sh' },
  coverageAnalysis: 'off',
  // The dry run runs every file (some 10 minutes quiet); StrykerJS gives a mutant 1.5 x that plus
  // timeoutMS: room for any mutant's files.
  dryRunTimeoutMinutes: 60,
  timeoutMS: 60000,
  mutate,
  jsonReporter: { fileName: 'reports/mutation/cli.json' },
  htmlReporter: { fileName: 'reports/mutation/cli.html' },
  tempDirName: '.stryker-tmp-cli',
};

export default env.RTNL_MUTATE_CLI_LIST ? list : run;
