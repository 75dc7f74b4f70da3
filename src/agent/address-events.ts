import type { KernelViews } from '../observe/kernel-views.js';
import { nsidOfEvent } from '../observe/monitor.js';
import { AddressWatch } from '../system/address-watch.js';
import type { Logger } from '../system/logger.js';
import type { NetnsIds } from '../system/netns-ids.js';

// Wakes a router whenever an address or link changes in its namespace, and ends the trust
// in that namespace's kernel reading: keepalived taking over or
// giving up is seen at once, without waiting for a hook (lesson 3) or a resync. The event
// only says which router to look at; the reconcile reads the kernel.
export function wakeOnAddressEvents(o: {
  readonly netns: NetnsIds;
  readonly prefix: string;
  readonly wake: (id: string) => void;
  readonly views: KernelViews;
  readonly log: Logger;
}): AddressWatch {
  const wakeNs = (name: string | undefined) => {
    if (name === undefined) return;
    o.views.invalidate(name);
    if (name.startsWith(o.prefix)) o.wake(name.slice(o.prefix.length));
  };
  return new AddressWatch(
    (line) => {
      const nsid = nsidOfEvent(line);
      if (nsid === undefined) return;
      const name = o.netns.nameOf(nsid);
      if (name !== undefined) wakeNs(name);
      else void o.netns.refresh().then(() => wakeNs(o.netns.nameOf(nsid)));
    },
    o.log,
    () => o.views.invalidateAll(),
  );
}
