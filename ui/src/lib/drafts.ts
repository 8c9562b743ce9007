// Edited-but-uncommitted field values, persisted as the user types so nothing is lost if the
// window closes mid-edit. Keyed by catalog (scope), entity, id and field.

export type DraftEntity = "release" | "track" | "artist" | "position";

export interface DraftKey {
  entity: DraftEntity;
  id: number;
  field: string;
  /** Not part of the identity: lets a restored track draft reopen its release. */
  releaseId?: number | null;
}

export interface Draft {
  entity: DraftEntity;
  id: number;
  field: string;
  releaseId: number | null;
  /** What the user typed. */
  value: string;
  /** The committed value the draft was started from, to detect it became moot. */
  original: string;
  /** ms since epoch of the last keystroke. */
  updatedAt: number;
}

/** The subset of `Storage` used, so tests and non-browser callers can pass a Map-backed one. */
export interface KeyValueStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PREFIX = "catno.draft:";
const ENTITIES: readonly DraftEntity[] = ["release", "track", "artist", "position"];

export function draftKeyEquals(a: DraftKey, b: DraftKey): boolean {
  return a.entity === b.entity && a.id === b.id && a.field === b.field;
}

export class DraftStore {
  /** `scope` separates catalogs (ids are per catalog); typically the catalog path. */
  constructor(
    private readonly storage: KeyValueStorage,
    private scope = "",
    private readonly now: () => number = () => Date.now(),
  ) {}

  setScope(scope: string): void {
    this.scope = scope;
  }

  getScope(): string {
    return this.scope;
  }

  private storageKey(k: DraftKey): string {
    return PREFIX + JSON.stringify([this.scope, k.entity, k.id, k.field]);
  }

  /** Records the in-progress value. A value equal to `original` deletes the draft instead. */
  set(key: DraftKey, value: string, original: string): void {
    if (value === original) {
      this.remove(key);
      return;
    }
    const draft: Draft = {
      ...pick(key),
      releaseId: key.releaseId ?? (key.entity === "release" ? key.id : null),
      value,
      original,
      updatedAt: this.now(),
    };
    try {
      this.storage.setItem(this.storageKey(key), JSON.stringify(draft));
    } catch {
      // Quota exceeded or storage disabled: drafts are best effort, the edit itself still works.
    }
  }

  get(key: DraftKey): Draft | null {
    const raw = safeGet(this.storage, this.storageKey(key));
    return raw === null ? null : parseDraft(raw, key);
  }

  remove(key: DraftKey): void {
    try {
      this.storage.removeItem(this.storageKey(key));
    } catch {
      // ignore
    }
  }

  /** All drafts in the current scope, optionally only those of one entity/id. Oldest first. */
  list(filter?: { entity: DraftEntity; id?: number }): Draft[] {
    const out: Draft[] = [];
    for (const storageKey of this.keys()) {
      const parsed = parseStorageKey(storageKey);
      if (parsed?.scope !== this.scope) continue;
      if (filter && (parsed.key.entity !== filter.entity || (filter.id !== undefined && parsed.key.id !== filter.id)))
        continue;
      const raw = safeGet(this.storage, storageKey);
      const draft = raw === null ? null : parseDraft(raw, parsed.key);
      if (draft) out.push(draft);
      else this.storage.removeItem(storageKey); // corrupt entry
    }
    return out.sort((a, b) => a.updatedAt - b.updatedAt);
  }

  /** Removes every draft of the current scope (or matching `filter`). */
  clear(filter?: { entity: DraftEntity; id?: number }): void {
    for (const d of this.list(filter)) this.remove(d);
  }

  private keys(): string[] {
    const keys: string[] = [];
    for (let i = 0; i < this.storage.length; i++) {
      const k = this.storage.key(i);
      if (k?.startsWith(PREFIX)) keys.push(k);
    }
    return keys;
  }
}

function pick(k: DraftKey): { entity: DraftEntity; id: number; field: string } {
  return { entity: k.entity, id: k.id, field: k.field };
}

function safeGet(storage: KeyValueStorage, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

function parseStorageKey(storageKey: string): { scope: string; key: DraftKey } | null {
  try {
    const parts: unknown = JSON.parse(storageKey.slice(PREFIX.length));
    if (!Array.isArray(parts) || parts.length !== 4) return null;
    const [scope, entity, id, field] = parts as unknown[];
    if (
      typeof scope !== "string" ||
      typeof entity !== "string" ||
      !(ENTITIES as readonly string[]).includes(entity) ||
      typeof id !== "number" ||
      typeof field !== "string"
    )
      return null;
    return { scope, key: { entity: entity as DraftEntity, id, field } };
  } catch {
    return null;
  }
}

function parseDraft(raw: string, key: DraftKey): Draft | null {
  try {
    const d = JSON.parse(raw) as Partial<Draft>;
    if (typeof d.value !== "string" || typeof d.original !== "string") return null;
    return {
      ...pick(key),
      releaseId: typeof d.releaseId === "number" ? d.releaseId : null,
      value: d.value,
      original: d.original,
      updatedAt: typeof d.updatedAt === "number" ? d.updatedAt : 0,
    };
  } catch {
    return null;
  }
}

/** In-memory storage, for tests and as a fallback when localStorage is unavailable. */
export class MemoryStorage implements KeyValueStorage {
  private readonly map = new Map<string, string>();
  get length(): number {
    return this.map.size;
  }
  key(index: number): string | null {
    return [...this.map.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}

/** localStorage when usable, otherwise an in-memory store. */
export function defaultStorage(): KeyValueStorage {
  try {
    const s = globalThis.localStorage;
    const probe = `${PREFIX}probe`;
    s.setItem(probe, "1");
    s.removeItem(probe);
    return s;
  } catch {
    return new MemoryStorage();
  }
}

/**
 * Commits pending edits when the page is about to go away. Each editor field with an
 * uncommitted value registers a flusher; `flushAll` runs them all (fire and forget: the draft
 * stays in storage until a commit succeeds, so a close that wins the race loses nothing).
 */
export class PendingEdits {
  private readonly flushers = new Map<string, () => Promise<unknown>>();

  register(key: DraftKey, flush: () => Promise<unknown>): () => void {
    const k = JSON.stringify([key.entity, key.id, key.field]);
    this.flushers.set(k, flush);
    return () => {
      if (this.flushers.get(k) === flush) this.flushers.delete(k);
    };
  }

  get size(): number {
    return this.flushers.size;
  }

  async flushAll(): Promise<void> {
    const all = [...this.flushers.values()];
    await Promise.allSettled(all.map((f) => f()));
  }

  /** Wires flushAll to beforeunload/pagehide/visibilitychange. Returns an uninstaller. */
  installPageHooks(target: Window = window): () => void {
    const flush = () => {
      void this.flushAll();
    };
    const onVisibility = () => {
      if (target.document.visibilityState === "hidden") flush();
    };
    target.addEventListener("beforeunload", flush);
    target.addEventListener("pagehide", flush);
    target.document.addEventListener("visibilitychange", onVisibility);
    return () => {
      target.removeEventListener("beforeunload", flush);
      target.removeEventListener("pagehide", flush);
      target.document.removeEventListener("visibilitychange", onVisibility);
    };
  }
}
