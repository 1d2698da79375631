import type { RtNetlink } from '../rtnetlink.js';

export class AddressApi {
  constructor(protected readonly rt: RtNetlink) {}
}
