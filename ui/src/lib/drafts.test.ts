import { describe, expect, it, vi } from "vitest";
import { DraftStore, MemoryStorage, PendingEdits } from "./drafts";

const title = { entity: "release", id: 1, field: "title" } as const;

describe("DraftStore", () => {
  it("stores, reads back and removes a draft", () => {
    const store = new DraftStore(new MemoryStorage(), "/cat.sqlite", () => 42);
    store.set(title, "New title", "Old title");
    expect(store.get(title)).toEqual({
      entity: "release",
      id: 1,
      field: "title",
      releaseId: 1,
      value: "New title",
      original: "Old title",
      updatedAt: 42,
    });
    store.remove(title);
    expect(store.get(title)).toBeNull();
  });

  it("drops the draft when the value is typed back to the original", () => {
    const storage = new MemoryStorage();
    const store = new DraftStore(storage, "s");
    store.set(title, "x", "orig");
    store.set(title, "orig", "orig");
    expect(store.get(title)).toBeNull();
    expect(storage.length).toBe(0);
  });

  it("keeps drafts of different catalogs apart", () => {
    const storage = new MemoryStorage();
    const a = new DraftStore(storage, "/a.sqlite");
    const b = new DraftStore(storage, "/b.sqlite");
    a.set(title, "from A", "");
    expect(b.get(title)).toBeNull();
    expect(b.list()).toEqual([]);
    expect(a.list().map((d) => d.value)).toEqual(["from A"]);
    b.setScope("/a.sqlite");
    expect(b.get(title)?.value).toBe("from A");
  });

  it("survives a reload: a new store over the same storage sees the drafts, oldest first", () => {
    const storage = new MemoryStorage();
    let now = 1000;
    const before = new DraftStore(storage, "s", () => now);
    before.set({ entity: "track", id: 9, field: "isrc", releaseId: 3 }, "USRC1", "");
    now = 500;
    before.set(title, "T", "");
    const after = new DraftStore(storage, "s");
    const list = after.list();
    expect(list.map((d) => [d.entity, d.id, d.field, d.releaseId])).toEqual([
      ["release", 1, "title", 1],
      ["track", 9, "isrc", 3],
    ]);
    expect(after.list({ entity: "track" }).map((d) => d.value)).toEqual(["USRC1"]);
    expect(after.list({ entity: "release", id: 2 })).toEqual([]);
  });

  it("handles field names with separators and unicode", () => {
    const store = new DraftStore(new MemoryStorage(), 'C:\\Music\\"cat".sqlite');
    const k = { entity: "release", id: 3, field: "title@ja-Latn" } as const;
    store.set(k, "Tōkyō", "");
    expect(store.list()[0]).toMatchObject({ field: "title@ja-Latn", value: "Tōkyō" });
  });

  it("ignores and cleans up corrupt entries", () => {
    const storage = new MemoryStorage();
    storage.setItem('catno.draft:["s","release",1,"title"]', "{not json");
    storage.setItem("catno.draft:garbage", "{}");
    storage.setItem("unrelated", "keep");
    const store = new DraftStore(storage, "s");
    expect(store.list()).toEqual([]);
    expect(storage.getItem('catno.draft:["s","release",1,"title"]')).toBeNull();
    expect(storage.getItem("unrelated")).toBe("keep");
  });

  it("does not throw when storage is full", () => {
    const storage = new MemoryStorage();
    storage.setItem = () => {
      throw new DOMException("full", "QuotaExceededError");
    };
    const store = new DraftStore(storage, "s");
    expect(() => store.set(title, "x", "")).not.toThrow();
  });

  it("clear() removes only the current scope's drafts", () => {
    const storage = new MemoryStorage();
    const a = new DraftStore(storage, "a");
    const b = new DraftStore(storage, "b");
    a.set(title, "1", "");
    b.set(title, "2", "");
    a.clear();
    expect(a.list()).toEqual([]);
    expect(b.list()).toHaveLength(1);
  });

  it("works over jsdom's real localStorage", () => {
    localStorage.clear();
    const store = new DraftStore(localStorage, "ls");
    store.set(title, "persisted", "");
    expect(new DraftStore(localStorage, "ls").get(title)?.value).toBe("persisted");
    localStorage.clear();
  });
});

describe("PendingEdits", () => {
  it("flushes every registered edit once, and unregistering removes it", async () => {
    const pending = new PendingEdits();
    const a = vi.fn(() => Promise.resolve());
    const b = vi.fn(() => Promise.reject(new Error("offline")));
    const stopA = pending.register(title, a);
    pending.register({ entity: "track", id: 1, field: "isrc" }, b);
    await pending.flushAll();
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    stopA();
    await pending.flushAll();
    expect(a).toHaveBeenCalledTimes(1);
    expect(pending.size).toBe(1);
  });

  it("a re-registration for the same field replaces the old flusher", () => {
    const pending = new PendingEdits();
    const old = vi.fn(() => Promise.resolve());
    const stopOld = pending.register(title, old);
    pending.register(title, vi.fn(() => Promise.resolve()));
    stopOld(); // must not remove the newer one
    expect(pending.size).toBe(1);
  });

  it("flushes on pagehide, beforeunload and when the page becomes hidden", () => {
    const pending = new PendingEdits();
    const flush = vi.fn(() => Promise.resolve());
    pending.register(title, flush);
    const uninstall = pending.installPageHooks(window);

    window.dispatchEvent(new Event("pagehide"));
    window.dispatchEvent(new Event("beforeunload"));
    expect(flush).toHaveBeenCalledTimes(2);

    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    document.dispatchEvent(new Event("visibilitychange"));
    expect(flush).toHaveBeenCalledTimes(3);
    visibility.mockReturnValue("visible");
    document.dispatchEvent(new Event("visibilitychange"));
    expect(flush).toHaveBeenCalledTimes(3);

    uninstall();
    window.dispatchEvent(new Event("pagehide"));
    expect(flush).toHaveBeenCalledTimes(3);
  });
});
