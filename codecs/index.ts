// The kernel-free codecs, for those who build their own messages.
export * from './netlink/constants.js';
export * from './netlink/errors.js';
export * from './netlink/attrs.js';
export * from './netlink/writer.js';
export * from './netlink/schema.js';
export * from './netlink/family.js';
export * from './netlink/message.js';
export * as codec from './netlink/codecs.js';
export * from './route/link.js';
export * from './route/link-kinds/index.js';
