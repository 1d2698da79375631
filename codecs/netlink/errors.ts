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
}
