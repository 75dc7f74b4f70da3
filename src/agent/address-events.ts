import { nsidOfEvent } from '../observe/monitor.js';
import { AddressWatch } from '../system/address-watch.js';
import type { Logger } from '../system/logger.js';
import type { NetnsIds } from '../system/netns-ids.js';

// Wakes a router whenever an address changes in its namespace: keepalived taking over or
// giving up is seen at once, without waiting for a hook (lesson 3) or a resync. The event
// only says which router to look at; the reconcile reads the kernel.
export function wakeOnAddressEvents(o: {
  readonly netns: NetnsIds;
  readonly prefix: string;
  readonly wake: (id: string) => void;
  readonly log: Logger;
}): AddressWatch {
  const wakeNs = (name: string | undefined) => {
    if (name?.startsWith(o.prefix)) o.wake(name.slice(o.prefix.length));
  };
  return new AddressWatch((line) => {
    const nsid = nsidOfEvent(line);
    if (nsid === undefined) return;
    const name = o.netns.nameOf(nsid);
    if (name !== undefined) wakeNs(name);
    else void o.netns.refresh().then(() => wakeNs(o.netns.nameOf(nsid)));
  }, o.log);
}
