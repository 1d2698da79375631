import type { RtNetlink } from '../rtnetlink.js';

export class LinkApi {
  constructor(protected readonly rt: RtNetlink) {}
}
