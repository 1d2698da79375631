// A Stryker ignorer: no mutants in logging. `debug(...)` and `logger(...)` (src/log.ts) write only
// when DEBUG=rtnl:* is set; their words and arguments are not behaviour a test should pin down.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const LOGGING = new Set(['debug', 'logger']);

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'logging', {
    shouldIgnore(path) {
      const node = path.node;
      if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && LOGGING.has(node.callee.name)) {
        return 'logging: written only with DEBUG=rtnl:*';
      }
      return undefined;
    },
  }),
];
