// The kernel-free codecs, for those who build their own messages.
export * from './netlink/constants.js';
export * from './netlink/errors.js';
export * from './netlink/attrs.js';
export * from './netlink/writer.js';
export * from './netlink/schema.js';
export * from './netlink/family.js';
export * from './netlink/message.js';
export * from './netlink/json.js';
export * from './netlink/names.js';
export * from './netlink/addresses.js';
export * as codec from './netlink/codecs.js';
export * from './route/link.js';
export * from './route/link-kinds/index.js';
export * from './route/constants.js';
export * from './route/common.js';
export * from './route/address.js';
export * from './route/route.js';
export * from './route/neighbour.js';
