import type { RtNetlink } from '../rtnetlink.js';

export class RouteApi {
  constructor(protected readonly rt: RtNetlink) {}
}
