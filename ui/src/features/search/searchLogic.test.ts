import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SearchHit } from "../../lib/ipc/client";
import { SearchController, debounce, groupHits, hitTarget, moveActive, type SearchState } from "./searchLogic";

const hit = (kind: SearchHit["kind"], id: number, releaseId: number | null = null): SearchHit => ({
  kind,
  id,
  releaseId,
  title: `${kind} ${id}`,
  subtitle: "",
});

describe("debounce", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("calls once with the last arguments after the quiet period", () => {
    const fn = vi.fn();
    const d = debounce(fn, 120);
    d("a");
    vi.advanceTimersByTime(100);
    d("ab");
    vi.advanceTimersByTime(100);
    d("abc");
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(119);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith("abc");
  });

  it("cancel() drops the pending call and flush() runs it now", () => {
    const fn = vi.fn();
    const d = debounce(fn, 50);
    d(1);
    expect(d.pending).toBe(true);
    d.cancel();
    vi.advanceTimersByTime(100);
    expect(fn).not.toHaveBeenCalled();
    d(2);
    d.flush();
    expect(fn).toHaveBeenCalledWith(2);
    expect(d.pending).toBe(false);
  });
});

describe("SearchController", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("searches once per pause in typing (120 ms), with the trimmed text", async () => {
    const search = vi.fn((_text: string) => Promise.resolve([hit("Release", 1)]));
    const states: SearchState[] = [];
    const c = new SearchController(search, (s) => states.push(s), 120);
    for (const t of ["m", "mo", "moo", "moon "]) {
      c.input(t);
      vi.advanceTimersByTime(50);
    }
    expect(search).not.toHaveBeenCalled();
    expect(c.current.loading).toBe(true);
    await vi.advanceTimersByTimeAsync(120);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledWith("moon");
    expect(c.current).toMatchObject({ text: "moon", loading: false, hits: [hit("Release", 1)] });
  });

  it("drops a slow response for an older query", async () => {
    const pending: Record<string, (h: SearchHit[]) => void> = {};
    const search = (text: string) => new Promise<SearchHit[]>((r) => (pending[text] = r));
    const c = new SearchController(search, () => {}, 120);
    c.input("abc");
    await vi.advanceTimersByTimeAsync(120);
    c.input("abcd");
    await vi.advanceTimersByTimeAsync(120);
    pending.abcd?.([hit("Track", 2, 9)]);
    await vi.advanceTimersByTimeAsync(0);
    pending.abc?.([hit("Release", 1)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(c.current.text).toBe("abcd");
    expect(c.current.hits).toEqual([hit("Track", 2, 9)]);
  });

  it("clears immediately on empty input and ignores the in-flight response", async () => {
    let resolve!: (h: SearchHit[]) => void;
    const c = new SearchController(() => new Promise((r) => (resolve = r)), () => {}, 120);
    c.input("x");
    await vi.advanceTimersByTimeAsync(120);
    c.input("   ");
    expect(c.current).toEqual({ text: "", hits: [], loading: false, error: null });
    resolve([hit("Artist", 3)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(c.current.hits).toEqual([]);
  });

  it("exposes backend errors in the state", async () => {
    const c = new SearchController(() => Promise.reject(new Error("boom")), () => {}, 10);
    c.input("q");
    await vi.advanceTimersByTimeAsync(10);
    expect(c.current.loading).toBe(false);
    expect(c.current.error).toBeInstanceOf(Error);
  });
});

describe("groupHits", () => {
  it("groups by kind in Release, Track, Artist order and numbers hits in that order", () => {
    const hits = [hit("Track", 10, 1), hit("Artist", 20), hit("Release", 30), hit("Track", 11, 1), hit("Release", 31)];
    const { groups, flat } = groupHits(hits);
    expect(groups.map((g) => g.kind)).toEqual(["Release", "Track", "Artist"]);
    expect(groups.map((g) => g.hits.map((h) => [h.hit.id, h.index]))).toEqual([
      [
        [30, 0],
        [31, 1],
      ],
      [
        [10, 2],
        [11, 3],
      ],
      [[20, 4]],
    ]);
    expect(flat.map((h) => h.id)).toEqual([30, 31, 10, 11, 20]);
  });

  it("omits empty groups", () => {
    expect(groupHits([hit("Artist", 1)]).groups.map((g) => g.title)).toEqual(["Artists"]);
    expect(groupHits([]).groups).toEqual([]);
  });
});

describe("keyboard navigation", () => {
  it("moves down and up through results, wrapping at the ends", () => {
    expect(moveActive(-1, 1, 3)).toBe(0);
    expect(moveActive(-1, -1, 3)).toBe(2);
    expect(moveActive(0, 1, 3)).toBe(1);
    expect(moveActive(2, 1, 3)).toBe(0);
    expect(moveActive(0, -1, 3)).toBe(2);
    expect(moveActive(0, 1, 0)).toBe(-1);
  });

  it("opens a release hit as the release and a track hit as its release with the track", () => {
    expect(hitTarget(hit("Release", 5))).toEqual({ kind: "release", releaseId: 5 });
    expect(hitTarget(hit("Track", 7, 3))).toEqual({ kind: "track", releaseId: 3, trackId: 7 });
    expect(hitTarget(hit("Track", 7, null))).toBeNull();
    expect(hitTarget(hit("Artist", 4))).toEqual({ kind: "artist", artistId: 4 });
  });
});
