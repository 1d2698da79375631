// Output the way iproute2 makes it (lib/json_print.c): one call per field prints either its
// text form or its JSON member, so each formatter reads like iproute2's and keeps its order.

type Container = Record<string, unknown> | unknown[];

/** lib/color.c's attributes: what ip colours, and its SGR codes on a light and a dark background. */
export type Color = 'ifname' | 'mac' | 'inet' | 'inet6' | 'up' | 'down';
const SGR: Record<Color, string> = { ifname: '36', mac: '33', inet: '35', inet6: '34', up: '32', down: '31' };

/** ifa_family_color(): an address's colour by its family. */
export const familyColor = (family: number): Color | undefined => (family === 2 ? 'inet' : family === 10 ? 'inet6' : undefined);

/** A JSON number written as iproute2 writes it with jsonw_printf (`0.00`), not as JSON.stringify would. */
export class RawJson {
  constructor(readonly text: string) {}
}
const RAW = '\u0000raw:';
/**
 * A key printed a second time in one object (ip does so: a route's "dst" and its encapsulation's)
 * is stored with this mark and a count after it, and printed without them.
 */
const AGAIN = '\u0000again';
const keyText = (k: string): string => JSON.stringify(k.split(AGAIN)[0]);
export const stringify = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (x instanceof RawJson ? `${RAW}${x.text}` : x))
    .replace(/"\\u0000raw:([^"]*)"/g, '$1').replace(/\\u0000again\d+"/g, '"');

/** printf()'s `%s`, or `%-Ns` (the value left-justified in N columns), in ip's format `fmt`. */
function fill(fmt: string, value: string): string {
  return fmt.replace(/%(-\d+)?s/, (_, width: string | undefined) => (width === undefined ? value : value.padEnd(-Number(width))));
}

/** print_0xhex(): `%#llx`, so 0 is "0"; a string in JSON too. */
export const hex0x = (n: number): string => (n === 0 ? '0' : `0x${n.toString(16)}`);

/** print_on_off(PRINT_ANY, key, "text %s ", v) for each present field, in order. */
export function onOffs(p: Printer, rows: Array<[key: string, text: string, v: number | boolean | bigint | undefined]>): void {
  for (const [key, text, v] of rows) {
    if (v === undefined) continue;
    p.jsonOnly(key, Boolean(v));
    p.fp(`${text} ${v ? 'on' : 'off'} `);
  }
}

export class Printer {
  private text = '';
  /** Set by listing commands: only they print a JSON array, even an empty one (`[]`), as ip -j does. */
  listing = false;
  /**
   * Set where ip opens its JSON array before reading a dump (new_json_obj(), then
   * rtnl_dump_filter()): a dump that fails from here on leaves ip's `[` printed and never closed.
   */
  opened = false;
  private readonly stack: Container[] = [];
  readonly rows: unknown[] = [];

  /** _SL_: what print_nl() and the line breaks inside a record print: a backslash with -oneline. */
  readonly sl: string;
  /** -N: numbers where ip's name tables would give names (rtnl_*_n2a). */
  numeric = false;
  /** -h: counters scaled by this base (1000, or 1024 with -iec); 0 prints them whole. */
  human = 0;
  /** -c: ANSI colours, for a light background or (COLORFGBG says so) a dark one. */
  color: false | 'light' | 'dark' = false;

  constructor(readonly json: boolean, readonly pretty = false, oneline = false) {
    this.sl = oneline ? '\\' : '\n';
  }

  /** print_string/print_uint(PRINT_ANY, key, fmt, value): `%s` (or `%-Ns`) in fmt takes the value. */
  any(key: string | null, fmt: string, value: string | number): void {
    if (this.json) this.put(key, value);
    else this.text += fill(fmt, String(value));
  }

  /** rtnl_*_n2a(): `n`'s name from its table, or with -N the number. */
  named(n: number, name: (n: number) => string | number): string {
    return this.numeric ? String(n) : String(name(n));
  }

  /** color_fprintf(): `text` between its colour's code and the reset, when colours are on. */
  paint(text: string, color: Color | undefined): string {
    if (!this.color || color === undefined) return text;
    return `\u001b[${this.color === 'dark' ? '1;' : ''}${SGR[color]}m${text}\u001b[0m`;
  }

  /** print_color_string(PRINT_ANY, color, key, fmt, value). */
  colored(color: Color | undefined, key: string, fmt: string, value: string): void {
    if (this.json) this.put(key, value);
    else this.text += this.paint(fill(fmt, value), color);
  }

  /** PRINT_FP: text only. */
  fp(s: string): void {
    if (!this.json) this.text += s;
  }

  /** PRINT_JSON: JSON only. */
  jsonOnly(key: string | null, value: unknown): void {
    if (this.json) this.put(key, value);
  }

  /** print_bool(PRINT_ANY, key, fmt, true). */
  bool(key: string, fmt: string): void {
    if (this.json) this.put(key, true);
    else this.text += fmt;
  }

  /** print_null(PRINT_ANY, key, fmt, value). */
  null(key: string, fmt: string, value: string): void {
    if (this.json) this.put(key, null);
    else this.text += fill(fmt, value);
  }

  /** print_nl(): a line break within a record (a backslash with -oneline). */
  nl(): void {
    this.fp(this.sl);
  }

  /** open_json_object(key): a row at the top level when key is null and nothing is open. */
  openObject(key: string | null = null): void {
    this.open(key, {});
  }

  closeObject(): void {
    if (this.json) this.stack.pop();
  }

  /** open_json_array(PRINT_ANY, key): in text mode `text` is printed instead. */
  openArray(key: string, text = ''): void {
    if (this.json) this.open(key, []);
    else this.text += text;
  }

  closeArray(text = ''): void {
    if (this.json) this.stack.pop();
    else this.text += text;
  }

  private open(key: string | null, c: Container): void {
    if (!this.json) return;
    if (this.stack.length === 0) this.rows.push(c);
    else this.put(key, c);
    this.stack.push(c);
  }

  private put(key: string | null, value: unknown): void {
    const top = this.stack[this.stack.length - 1];
    if (Array.isArray(top)) top.push(value);
    else if (top && key !== null) {
      let k = key;
      for (let n = 1; Object.hasOwn(top, k); n++) k = `${key}${AGAIN}${n}`;
      top[k] = value;
    }
  }

  get printed(): boolean {
    return this.json ? this.rows.length > 0 : this.text.length > 0;
  }

  /** Everything printed: the text, or the rows as one JSON array (ip -j, with -p as ip -j -p lays it out). */
  output(failed = false): string {
    if (!this.json) return this.text;
    if (failed && this.opened && this.rows.length === 0) return this.pretty ? '[ ' : '[';
    if (!this.listing) return '';
    return `${this.pretty ? prettyJson(this.rows, 0) : stringify(this.rows)}\n`;
  }
}

const indent = (depth: number): string => '    '.repeat(depth);

/** iproute2's json_writer in pretty mode: `[ {`, four spaces a level, arrays of scalars on one line. */
export function prettyJson(v: unknown, depth: number): string {
  if (Array.isArray(v)) {
    return v.length === 0 ? '[ ]' : `[ ${v.map((x) => prettyJson(x, depth + 1)).join(',')} ]`;
  }
  if (v instanceof RawJson) return v.text;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    if (entries.length === 0) return '{}';
    const body = entries.map(([k, x]) => `\n${indent(depth + 1)}${keyText(k)}: ${prettyJson(x, depth + 1)}`).join(',');
    return `{${body}\n${indent(depth)}}`;
  }
  return JSON.stringify(v);
}

// Counters as lib/utils.c's print_num() prints them, in the columns ip sizes for them.

/** size_columns(): each column as wide as its widest number; with -h none grows (scaled counters keep the headers' widths). */
export const sizeColumns = (human: number) => (cols: number[], values: bigint[]): void => {
  if (!human) values.forEach((v, i) => { cols[i] = Math.max(cols[i], String(v).length); });
};

/**
 * print_num(): a counter right-aligned in its column, and a space; with -h (`human` the base,
 * 1000 or 1024) scaled once past the base: `11.0k`, `2.50M`, with -iec `11.0ki`.
 */
export const printNum = (human: number) => (width: number, v: bigint): string =>
  `${(human && v >= BigInt(human) ? scaled(v, BigInt(human)) : String(v)).padStart(width)} `;

function scaled(v: bigint, base: bigint): string {
  let powi = 1n;
  let prefix = 0;
  for (;;) {
    powi *= base;
    if (v / base < powi || prefix === 5) break;
    prefix++;
  }
  let precision = 2;
  for (let powj = 10n; precision > 0 && v / powi >= powj; powj *= 10n) precision--;
  return `${printfFixed(Number(v) / Number(powi), precision)}${'kMGTPE'[prefix]}${base === 1024n ? 'i' : ''}`;
}

/** printf's %.Nf: as toFixed, but an exact tie goes to the even digit. */
function printfFixed(x: number, digits: number): string {
  const shifted = x * 10 ** digits;
  const even = Math.floor(shifted);
  return shifted - even === 0.5 && even % 2 === 0 ? (even / 10 ** digits).toFixed(digits) : x.toFixed(digits);
}
export const pad = (width: number, s: string): string => s.padStart(width);
