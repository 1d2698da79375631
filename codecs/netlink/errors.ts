/** Bytes that do not form what the decoder expected. Always this type, never a RangeError. */
export class DecodeError extends Error {
  override name = 'DecodeError';
  constructor(
    message: string,
    /** Byte offset within the buffer being decoded, when known. */
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
  }
}

/** A value that cannot be encoded (a name too long, a MAC of the wrong length...). */
export class EncodeError extends Error {
  override name = 'EncodeError';
  /**
   * `reason`: what is wrong with the value; `path`: the keys that lead to it, outermost first
   * (`['info', 'data', 'forwardDelay']`), filled in as the error climbs out of nested tables.
   */
  constructor(readonly reason: string, readonly path: readonly string[] = []) {
    super(path.length ? `${path.join('.')}: ${reason}` : reason);
  }

  /** The same error one level further out. */
  under(key: string): EncodeError {
    return new EncodeError(this.reason, [key, ...this.path]);
  }
}

/**
 * String(v) for an error message, whatever v is: String() itself throws on an object without a
 * prototype, and plain-JS callers may give one. Such an object reads `[object Object]`.
 */
export function asText(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** JSON.stringify(v) for an error message: what it cannot write (a bigint, a cycle) as asText() writes it. */
export function asJson(v: unknown): string {
  try {
    return String(JSON.stringify(v));
  } catch {
    return asText(v);
  }
}
