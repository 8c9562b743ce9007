import { describe, expect, it, vi } from "vitest";
import { PageCache, type PageResult } from "./pageCache";

type Row = { id: number; title: string };

/** A fake paged backend over `total` rows whose responses the test releases explicitly. */
function fakeBackend(initialTotal: number, titlePrefix = "R") {
  let total = initialTotal;
  const calls: { offset: number; limit: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let prefix = titlePrefix;
  const fetch = vi.fn((offset: number, limit: number) => {
    return new Promise<PageResult<Row>>((resolve, reject) => {
      const snapshot = prefix;
      calls.push({
        offset,
        limit,
        resolve: () => {
          const items: Row[] = [];
          for (let i = offset; i < Math.min(total, offset + limit); i++) items.push({ id: i + 1, title: `${snapshot}${i}` });
          resolve({ items, offset, total });
        },
        reject,
      });
    });
  });
  return {
    fetch,
    calls,
    setPrefix: (p: string) => (prefix = p),
    setTotal: (t: number) => (total = t),
    /** Resolves every pending call and lets the promise callbacks run. */
    async settle() {
      for (const c of calls.splice(0)) c.resolve();
      await Promise.resolve();
      await Promise.resolve();
    },
  };
}

describe("PageCache", () => {
  it("fetches the first page before the total is known, then only the pages in view", async () => {
    const be = fakeBackend(100_000);
    const onChange = vi.fn();
    const cache = new PageCache<Row>({ fetch: be.fetch, pageSize: 100, onChange });
    cache.ensure(0, 0);
    expect(be.fetch).toHaveBeenCalledTimes(1);
    expect(be.calls[0]).toMatchObject({ offset: 0, limit: 100 });
    expect(cache.get(0)).toBeUndefined();
    await be.settle();
    expect(cache.total).toBe(100_000);
    expect(cache.get(0)?.title).toBe("R0");
    expect(onChange).toHaveBeenCalled();

    // Jump to the middle: rows 50,010–50,140 span two pages.
    cache.ensure(50_010, 50_140);
    expect(be.calls.map((c) => c.offset)).toEqual([50_000, 50_100]);
    expect(cache.get(50_050)).toBeUndefined(); // placeholder until loaded
    await be.settle();
    expect(cache.get(50_050)?.title).toBe("R50050");
    expect(be.fetch).toHaveBeenCalledTimes(3);

    // The loaded rows' ids in row order, without the rows between the pages.
    const ids = cache.loadedIds;
    expect(ids).toHaveLength(300);
    expect(ids.slice(0, 2)).toEqual([1, 2]);
    expect(ids.slice(99, 102)).toEqual([100, 50_001, 50_002]);
    expect(ids.at(-1)).toBe(50_200);
  });

  it("gives no loaded id past the total once the list shrank", async () => {
    const be = fakeBackend(150);
    const cache = new PageCache<Row>({ fetch: be.fetch, pageSize: 100 });
    cache.ensure(0, 0);
    await be.settle();
    cache.ensure(0, 149);
    await be.settle();
    expect(cache.loadedIds).toHaveLength(150);
    // 30 releases deleted: the first page's refetch lands, the second page is still the old one.
    be.setTotal(120);
    cache.invalidate();
    be.calls.splice(0, 1)[0]?.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(cache.total).toBe(120);
    expect(cache.loadedIds).toHaveLength(120);
    expect(cache.loadedIds.at(-1)).toBe(120);
  });

  it("does not refetch loaded pages nor duplicate requests in flight", async () => {
    const be = fakeBackend(1000);
    const cache = new PageCache<Row>({ fetch: be.fetch, pageSize: 100 });
    cache.ensure(0, 30);
    cache.ensure(0, 30);
    cache.ensure(5, 40);
    expect(be.fetch).toHaveBeenCalledTimes(1);
    await be.settle();
    cache.ensure(0, 40);
    expect(be.fetch).toHaveBeenCalledTimes(1);
  });

  it("ignores responses that arrive after a reset (e.g. label switch)", async () => {
    const be = fakeBackend(500);
    const cache = new PageCache<Row>({ fetch: be.fetch, pageSize: 100 });
    cache.ensure(0, 20);
    const stale = be.calls.splice(0);
    be.setPrefix("N");
    cache.reset();
    expect(be.calls).toHaveLength(1); // refetch of the range in view
    for (const c of stale) c.resolve();
    await Promise.resolve();
    expect(cache.get(0)).toBeUndefined();
    await be.settle();
    expect(cache.get(0)?.title).toBe("N0");
  });

  it("on invalidate(ids), refetches the visible page holding them and keeps showing it meanwhile", async () => {
    const be = fakeBackend(1000);
    const cache = new PageCache<Row>({ fetch: be.fetch, pageSize: 100 });
    cache.ensure(300, 320);
    await be.settle();
    cache.ensure(0, 20);
    await be.settle();
    expect(cache.loadedPageOffsets).toEqual([0, 300]);

    be.setPrefix("Edited");
    cache.invalidate([5]); // id 5 is row 4, on page 0 (in view)
    expect(be.calls.map((c) => c.offset)).toEqual([0]);
    expect(cache.get(4)?.title).toBe("R4"); // stale row still shown, no placeholder flash
    expect(cache.loadedPageOffsets).toEqual([0, 300]); // page 300 not affected
    await be.settle();
    expect(cache.get(4)?.title).toBe("Edited4");
    expect(cache.get(300)?.title).toBe("R300");
  });

  it("on invalidate of unknown ids (an insertion) drops pages out of view and refetches those in view", async () => {
    const be = fakeBackend(1000);
    const cache = new PageCache<Row>({ fetch: be.fetch, pageSize: 100 });
    cache.ensure(500, 510);
    await be.settle();
    cache.ensure(0, 10);
    await be.settle();
    cache.invalidate([99_999]);
    expect(cache.loadedPageOffsets).toEqual([0]);
    expect(be.calls.map((c) => c.offset)).toEqual([0]);
  });

  it("ignores in-flight responses made before an invalidation", async () => {
    const be = fakeBackend(1000);
    const cache = new PageCache<Row>({ fetch: be.fetch, pageSize: 100 });
    cache.ensure(0, 10);
    await be.settle();
    cache.ensure(100, 110);
    const before = be.calls.splice(0); // page 100 in flight with old data
    be.setPrefix("New");
    cache.invalidate();
    for (const c of before) c.resolve();
    await be.settle();
    expect(cache.get(100)?.title).toBe("New100");
  });

  it("evicts least recently used pages beyond maxPages but never the ones in view", async () => {
    const be = fakeBackend(10_000);
    const cache = new PageCache<Row>({ fetch: be.fetch, pageSize: 100, maxPages: 3 });
    for (const start of [0, 1000, 2000, 3000, 4000]) {
      cache.ensure(start, start + 10);
      await be.settle();
    }
    expect(cache.loadedPageOffsets).toEqual([2000, 3000, 4000]);
    cache.ensure(2000, 2010); // touch 2000 so 3000 becomes the oldest
    cache.ensure(5000, 5010);
    await be.settle();
    expect(cache.loadedPageOffsets).toEqual([2000, 4000, 5000]);
  });

  it("limits concurrent requests and continues with the rest of the range", async () => {
    const be = fakeBackend(10_000);
    const cache = new PageCache<Row>({ fetch: be.fetch, pageSize: 100, maxConcurrent: 2 });
    cache.ensure(0, 0);
    await be.settle();
    cache.ensure(0, 500);
    expect(be.calls.map((c) => c.offset)).toEqual([100, 200]);
    await be.settle();
    expect(be.calls.map((c) => c.offset)).toEqual([300, 400]);
  });

  it("reports a failed page once and does not hammer the backend with retries", async () => {
    let now = 0;
    const be = fakeBackend(1000);
    const onError = vi.fn();
    const cache = new PageCache<Row>({ fetch: be.fetch, pageSize: 100, onError, retryAfterMs: 2000, now: () => now });
    cache.ensure(0, 10);
    be.calls.splice(0)[0]?.reject(new Error("io"));
    await Promise.resolve();
    await Promise.resolve();
    expect(onError).toHaveBeenCalledTimes(1);
    cache.ensure(0, 10);
    expect(be.fetch).toHaveBeenCalledTimes(1);
    now = 2500;
    cache.ensure(0, 10);
    expect(be.fetch).toHaveBeenCalledTimes(2);
  });

  it("coalesces fast scrolling: with a delay, only the final range is fetched", () => {
    vi.useFakeTimers();
    try {
      const be = fakeBackend(100_000);
      const cache = new PageCache<Row>({ fetch: be.fetch, pageSize: 100, delayMs: 30 });
      cache.ensure(0, 0);
      vi.advanceTimersByTime(30);
      expect(be.calls.map((c) => c.offset)).toEqual([0]);
      for (let row = 1000; row <= 90_000; row += 1000) {
        cache.ensure(row, row + 20);
        vi.advanceTimersByTime(5);
      }
      vi.advanceTimersByTime(30);
      // The first page's total is still unknown to the cache here, so every range counts as in
      // bounds; what matters is that intermediate ranges were never requested.
      expect(be.calls.map((c) => c.offset)).toEqual([0, 90_000]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("finds the index of a loaded id", async () => {
    const be = fakeBackend(1000);
    const cache = new PageCache<Row>({ fetch: be.fetch, pageSize: 100 });
    cache.ensure(200, 210);
    await be.settle();
    expect(cache.indexOfId(251)).toBe(250);
    expect(cache.indexOfId(5)).toBe(-1);
  });
});
