import type { KernelViews } from '../observe/kernel-views.js';
import { nsidOfEvent } from '../observe/monitor.js';
import { AddressWatch } from '../system/address-watch.js';
import { exists } from '../system/files.js';
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
  // Called each time the watch goes live (every reading was just dropped).
  readonly live?: () => void;
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
      // A name whose namespace is gone is a stale id (the kernel reuses freed ids).
      const name = o.netns.nameOf(nsid);
      if (name !== undefined && exists(`/run/netns/${name}`)) return wakeNs(name);
      // A refresh that starts now lists the id; if even that does not name it, nothing
      // read so far can be trusted.
      void o.netns.refreshAfter().then(() => {
        const now = o.netns.nameOf(nsid);
        if (now === undefined) o.views.invalidateAll();
        else wakeNs(now);
      });
    },
    o.log,
    {
      lost: () => o.views.setLive(false),
      live: () => {
        o.views.setLive(true);
        o.live?.();
      },
    },
  );
}
