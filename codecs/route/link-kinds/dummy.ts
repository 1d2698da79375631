// Kind "dummy" carries no IFLA_INFO_DATA of its own.
import type { Attrs } from '../../netlink/schema.js';

export const dummyTable = {};
export type DummyData = Attrs<typeof dummyTable>;
