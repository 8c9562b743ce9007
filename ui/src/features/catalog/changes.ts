// Fan-out of the backend's catalogChanged event to whoever shows affected data.
import { subscribeToChanges, type CatalogChanged } from "../../lib/ipc/client";

type Listener = (change: CatalogChanged) => void;

const listeners = new Set<Listener>();
let unsubscribe: (() => void) | null = null;

export function onCatalogChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Dispatches a change to all listeners (also used locally, e.g. after opening a catalog). */
export function dispatchChange(change: CatalogChanged): void {
  for (const l of [...listeners]) {
    try {
      l(change);
    } catch (e) {
      console.error("catalogChanged listener failed", e);
    }
  }
}

/** Starts listening to the backend. Idempotent; returns a stopper. */
export function startChangeFeed(): () => void {
  unsubscribe ??= subscribeToChanges(dispatchChange);
  return () => {
    unsubscribe?.();
    unsubscribe = null;
  };
}

/** True when `change` concerns `entity` `id` (a Catalog-wide change concerns everything). */
export function concerns(change: CatalogChanged, entity: CatalogChanged["entity"], id?: number): boolean {
  if (change.entity === "Catalog") return true;
  if (change.entity !== entity) return false;
  return id === undefined || change.ids.length === 0 || change.ids.includes(id);
}
