import type { RtNetlink } from '../rtnetlink.js';

export class NeighbourApi {
  constructor(protected readonly rt: RtNetlink) {}
}
