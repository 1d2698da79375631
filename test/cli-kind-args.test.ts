// The words after `type bridge`, `vxlan`, `macvlan`, `macvtap`, `vlan`, `ipvlan`, `ipvtap` and `bridge_slave`, checked without a kernel against what
// iproute2 6.1 did with the same words (test/vectors/args/capture.sh): where ip sent a request,
// the CLI's options must make the same kind data (compared decoded, so the order of attributes
// does not matter); where ip refused, the CLI must refuse with ip's words and exit status.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeLink, encodeLink } from '../codecs/route/link.js';
import { bridgePortTable } from '../codecs/route/link-kinds/bridge.js';
import { decodeAttrs, encodeAttrs } from '../codecs/netlink/schema.js';
import { Writer } from '../codecs/netlink/writer.js';
import { macvlanData } from '../src/api/link-options.js';
import { Args, CliError } from '../src/cli/args.js';
import { bridgeOptions, bridgePortOptions, macvlanOptions, vxlanOptions } from '../src/cli/link-kind-args.js';
import { ipvlanOptions, vlanOptions } from '../src/cli/vlan-args.js';
import { hex } from './helpers/bytes.js';

interface Case { verb: 'add' | 'set'; words: string[]; request?: Uint8Array; exit: number; stderr: string[] }

const dir = fileURLToPath(new URL('../../test/vectors/args/', import.meta.url));
function load(kind: string): { cases: Case[]; p0: number } {
  const text = readFileSync(`${dir}${kind}.txt`, 'utf8');
  const p0 = Number(/^# p0 (\d+)$/m.exec(text)![1]);
  const cases = text.split(/^== /m).slice(1).map((block): Case => {
    const [head, ...lines] = block.split('\n');
    const [verb, ...words] = head.split(' ').filter((w) => w !== ''); // `== add ` is ip link add with no words
    const request = lines.find((l) => l.startsWith('request '));
    return {
      verb: verb as Case['verb'],
      words,
      request: request === undefined ? undefined : hex(request.slice(8)),
      exit: Number(lines.find((l) => l.startsWith('exit '))!.slice(5)),
      stderr: lines.filter((l) => l.startsWith('! ')).map((l) => l.slice(2)),
    };
  });
  return { cases, p0 };
}

/** The kind's data a request carries, as the codec decodes it (a bridge port's: its slave data). */
function sent(kind: string, request: Uint8Array): unknown {
  const info = decodeLink(request.subarray(16)).info;
  // ip names a port's options by the kind `bridge_slave`, which the codec does not type: decode them here.
  return kind === 'bridge_slave' ? decodeAttrs(bridgePortTable, info?.slaveData as Uint8Array) : info?.data ?? {};
}

/** Options through the codec and back: what the library would put on the wire, decoded the same way. */
function wire(kind: string, data: object): unknown {
  const w = new Writer();
  if (kind === 'bridge_slave') {
    encodeAttrs(bridgePortTable, data, w);
    return decodeAttrs(bridgePortTable, w.finish());
  }
  encodeLink(w, { info: { kind, data } } as Parameters<typeof encodeLink>[1]);
  return decodeLink(w.finish()).info?.data ?? {};
}

/** The CLI's reading of the words, as the kind data the library sends (the underlay device by its index). */
function parse(kind: string, c: Case, p0: number, warnings: string[]): object {
  const args = new Args(c.words);
  const warn = (w: string): number => warnings.push(w);
  if (args.done) return {}; // no words: the CLI reads none and sends no kind data, as ip (src/cli/link.ts kindArgs())
  switch (kind) {
    case 'bridge': return bridgeOptions(args);
    case 'bridge_slave': return bridgePortOptions(args).bridgePort;
    case 'vxlan': {
      const o = vxlanOptions(args, c.verb === 'add', warn, 0);
      return o.link === 'p0' ? { ...o, link: p0 } : o;
    }
    case 'vlan': return vlanOptions(args);
    case 'ipvlan': case 'ipvtap': return ipvlanOptions(kind, args);
    default: return macvlanData('test', macvlanOptions(kind as 'macvlan' | 'macvtap', args, warn));
  }
}

for (const kind of ['bridge', 'vxlan', 'macvlan', 'macvtap', 'vlan', 'ipvlan', 'ipvtap', 'bridge_slave']) {
  const { cases, p0 } = load(kind);
  t.test(`type ${kind}: ${cases.length} commands as ip read them`, async (t) => {
    t.ok(cases.length >= 4, `${cases.length} cases`);
    for (const c of cases) {
      const name = `ip link ${c.verb} X type ${kind} ${c.words.join(' ')}`;
      const warnings: string[] = [];
      const stderr = c.stderr.map((l) => `${l}\n`).join('');
      if (c.request) {
        t.strictSame(wire(kind, parse(kind, c, p0, warnings)), sent(kind, c.request), name);
        // What ip printed before the kernel answered: its warnings (a refusal by the kernel is the last line, exit 2).
        const printed = c.exit === 2 ? c.stderr.slice(0, -1) : c.stderr;
        t.equal(warnings.join(''), printed.map((l) => `${l}\n`).join(''), `${name}: warnings`);
      } else {
        let error: unknown;
        try {
          parse(kind, c, p0, warnings);
        } catch (e) {
          error = e;
        }
        t.type(error, CliError, `${name}: refused`);
        t.equal(`${warnings.join('')}${(error as CliError).message}\n`, stderr, `${name}: ip's words`);
        t.equal((error as CliError).exitCode, c.exit, `${name}: exit ${c.exit}`);
      }
    }
  });
}
