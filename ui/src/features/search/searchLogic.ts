// Global search behaviour, framework-free: debouncing, stale-response handling, grouping of hits
// and keyboard navigation over the grouped list.
import type { SearchHit, SearchHitKind } from "../../lib/ipc/client";

export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  cancel(): void;
  /** Runs the pending call now, if any. */
  flush(): void;
  readonly pending: boolean;
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastArgs: A | null = null;
  const run = () => {
    timer = null;
    const args = lastArgs;
    lastArgs = null;
    if (args) fn(...args);
  };
  const debounced = ((...args: A) => {
    lastArgs = args;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(run, ms);
  }) as Debounced<A>;
  debounced.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    lastArgs = null;
  };
  debounced.flush = () => {
    if (timer === null) return;
    clearTimeout(timer);
    run();
  };
  Object.defineProperty(debounced, "pending", { get: () => timer !== null });
  return debounced;
}

export const KIND_ORDER: readonly SearchHitKind[] = ["Release", "Track", "Artist"];
export const KIND_TITLES: Record<SearchHitKind, string> = {
  Release: "Releases",
  Track: "Tracks",
  Artist: "Artists",
};

export interface HitGroup {
  kind: SearchHitKind;
  title: string;
  /** Hits with their position in the flat (keyboard) order. */
  hits: { hit: SearchHit; index: number }[];
}

/** Groups hits by kind in a fixed order, keeping the backend's ranking inside each group. */
export function groupHits(hits: readonly SearchHit[]): { groups: HitGroup[]; flat: SearchHit[] } {
  const groups: HitGroup[] = [];
  const flat: SearchHit[] = [];
  for (const kind of KIND_ORDER) {
    const ofKind = hits.filter((h) => h.kind === kind);
    if (ofKind.length === 0) continue;
    groups.push({
      kind,
      title: KIND_TITLES[kind],
      hits: ofKind.map((hit) => ({ hit, index: flat.push(hit) - 1 })),
    });
  }
  return { groups, flat };
}

/** Arrow-key movement through `count` results, wrapping at both ends. -1 = none active. */
export function moveActive(active: number, delta: number, count: number): number {
  if (count <= 0) return -1;
  if (active < 0) return delta >= 0 ? 0 : count - 1;
  return (((active + delta) % count) + count) % count;
}

export type HitTarget =
  | { kind: "release"; releaseId: number }
  | { kind: "track"; releaseId: number; trackId: number }
  | { kind: "artist"; artistId: number };

/** What opening a hit does. A track hit opens its release with the track selected. */
export function hitTarget(hit: SearchHit): HitTarget | null {
  switch (hit.kind) {
    case "Release":
      return { kind: "release", releaseId: hit.id };
    case "Track":
      return hit.releaseId === null ? null : { kind: "track", releaseId: hit.releaseId, trackId: hit.id };
    case "Artist":
      return { kind: "artist", artistId: hit.id };
  }
}

export interface SearchState {
  text: string;
  hits: SearchHit[];
  loading: boolean;
  error: unknown;
}

/**
 * Debounced search that only ever shows results for the latest text: a slow response for an
 * older query is dropped.
 */
export class SearchController {
  private seq = 0;
  private readonly debounced: Debounced<[string, number]>;
  private state: SearchState = { text: "", hits: [], loading: false, error: null };

  constructor(
    private readonly search: (text: string) => Promise<SearchHit[]>,
    private readonly onState: (state: SearchState) => void,
    delayMs = 120,
  ) {
    this.debounced = debounce((text: string, seq: number) => {
      void this.run(text, seq);
    }, delayMs);
  }

  get current(): SearchState {
    return this.state;
  }

  input(rawText: string): void {
    const text = rawText.trim();
    const seq = ++this.seq;
    if (text === "") {
      this.debounced.cancel();
      this.set({ text: "", hits: [], loading: false, error: null });
      return;
    }
    this.set({ ...this.state, text, loading: true });
    this.debounced(text, seq);
  }

  /** Re-runs the current query immediately (e.g. after the catalog changed). */
  refresh(): void {
    if (this.state.text === "") return;
    this.debounced.cancel();
    void this.run(this.state.text, ++this.seq);
  }

  cancel(): void {
    this.seq++;
    this.debounced.cancel();
    this.set({ ...this.state, loading: false });
  }

  private async run(text: string, seq: number): Promise<void> {
    try {
      const hits = await this.search(text);
      if (seq !== this.seq) return;
      this.set({ text, hits, loading: false, error: null });
    } catch (error) {
      if (seq !== this.seq) return;
      this.set({ text, hits: [], loading: false, error });
    }
  }

  private set(state: SearchState): void {
    this.state = state;
    this.onState(state);
  }
}
