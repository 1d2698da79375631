import type { RtNetlink } from '../rtnetlink.js';

export class NsidApi {
  constructor(protected readonly rt: RtNetlink) {}
}
