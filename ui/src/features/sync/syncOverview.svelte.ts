// Sync state of every release, for the release list. Read from the catalog only (no network),
// and only while an account is connected: without one every release would read "pending".
import { api, type SyncState } from "../../lib/ipc/client";
import { onCatalogChanged } from "../catalog/changes";
import { syncStore } from "./syncStore.svelte";

class SyncOverview {
  states = $state.raw<ReadonlyMap<number, SyncState>>(new Map());
  #timer: ReturnType<typeof setTimeout> | null = null;
  #requested = 0;

  /** Reloads soon; bursts of edits (an import, a bulk change) cost one query. */
  schedule(delayMs = 400): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.load();
    }, delayMs);
  }

  async load(): Promise<void> {
    const ticket = ++this.#requested;
    if (!syncStore.connected) {
      this.states = new Map();
      return;
    }
    try {
      const rows = await api.syncOverview();
      if (ticket === this.#requested) this.states = new Map(rows.map((r) => [r.releaseId, r.state]));
    } catch (e) {
      // A marker in a list is not worth a toast; the release's panel reports its own errors.
      console.warn("sync overview failed", e);
    }
  }

  /** Keeps the map current; returns a stopper. */
  follow(): () => void {
    return onCatalogChanged((change) => {
      if (change.entity === "Catalog" || change.entity === "Release") this.schedule();
    });
  }
}

export const syncOverview = new SyncOverview();
