// The public API of rtnl.
export { RtNetlink, type OpenOptions } from './rtnetlink.js';
export { Client, type ClientOptions, type Request } from './client.js';
export {
  NetlinkError, NotFoundError, ExistsError, PermissionError, InvalidArgumentError, BusyError, TimeoutError,
  DumpInterruptedError, OverflowError, ProtocolError, type RequestInfo,
} from './errors.js';
export type { NetnsRef } from './netns/resolve.js';
