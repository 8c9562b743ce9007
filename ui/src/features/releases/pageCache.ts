// Offset-paged cache behind a virtual list. Fetches only the pages covering the rows in view,
// keeps a bounded number of pages (LRU), and ignores responses that arrive after the cache was
// reset. Framework-free: the list component calls `ensure(start, end)` with its rendered range
// and re-renders on `onChange`.

export interface PageResult<T> {
  items: T[];
  offset: number;
  total: number;
}

export interface PageCacheOptions<T> {
  fetch: (offset: number, limit: number) => Promise<PageResult<T>>;
  pageSize?: number;
  /** Pages kept at most; the ones covering the current range are never evicted. */
  maxPages?: number;
  /** Wait this long after the last `ensure` before fetching (coalesces fast scrolling). 0 = now. */
  delayMs?: number;
  /** Requests in flight at most. */
  maxConcurrent?: number;
  /** After a failed fetch, don't retry that page for this long. */
  retryAfterMs?: number;
  onChange?: () => void;
  onError?: (error: unknown) => void;
  now?: () => number;
}

interface CachedPage<T> {
  items: T[];
  /** Kept for display after an invalidation until the refetch replaces it. */
  stale: boolean;
}

export class PageCache<T extends { id: number }> {
  readonly pageSize: number;
  private readonly maxPages: number;
  private readonly delayMs: number;
  private readonly maxConcurrent: number;
  private readonly retryAfterMs: number;
  private readonly now: () => number;

  private pages = new Map<number, CachedPage<T>>();
  private inFlight = new Set<number>();
  private failedAt = new Map<number, number>();
  private generation = 0;
  private range = { start: 0, end: 0 };
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private _total: number | null = null;

  constructor(private readonly opts: PageCacheOptions<T>) {
    this.pageSize = opts.pageSize ?? 100;
    this.maxPages = Math.max(1, opts.maxPages ?? 60);
    this.delayMs = opts.delayMs ?? 0;
    this.maxConcurrent = Math.max(1, opts.maxConcurrent ?? 4);
    this.retryAfterMs = opts.retryAfterMs ?? 2000;
    this.now = opts.now ?? (() => Date.now());
  }

  /** Row count as last reported by the backend; null until the first page arrives. */
  get total(): number | null {
    return this._total;
  }

  get loadedPageOffsets(): number[] {
    return [...this.pages.keys()].sort((a, b) => a - b);
  }

  get pendingPageOffsets(): number[] {
    return [...this.inFlight].sort((a, b) => a - b);
  }

  pageOffsetOf(index: number): number {
    return Math.floor(index / this.pageSize) * this.pageSize;
  }

  /** The row at `index`, or undefined while its page is not loaded. */
  get(index: number): T | undefined {
    const page = this.pages.get(this.pageOffsetOf(index));
    return page?.items[index - this.pageOffsetOf(index)];
  }

  /**
   * Ids of the loaded rows within the total, in row order: what "select all" takes without
   * walking every index (a page kept from before the list shrank has rows past the end).
   */
  get loadedIds(): number[] {
    const end = this._total ?? 0;
    return this.loadedPageOffsets.flatMap(
      (offset) => this.pages.get(offset)?.items.slice(0, Math.max(0, end - offset)).map((r) => r.id) ?? [],
    );
  }

  /** Index of a loaded row with this id, or -1. */
  indexOfId(id: number): number {
    for (const [offset, page] of this.pages) {
      const i = page.items.findIndex((r) => r.id === id);
      if (i !== -1) return offset + i;
    }
    return -1;
  }

  /** Declares the rows currently rendered; fetches the missing pages covering them. */
  ensure(start: number, end: number): void {
    if (this.disposed) return;
    this.range = { start: Math.max(0, start), end: Math.max(start, end) };
    // Before the total is known, at least the first page is needed.
    if (this._total === null && this.range.end <= this.range.start) this.range = { start: 0, end: 1 };
    for (const offset of this.offsetsInRange()) this.touch(offset);
    this.schedule();
  }

  /**
   * Forgets everything (e.g. label switch, catalog reopened): pending responses are ignored and
   * the current range is fetched again.
   */
  reset(): void {
    this.generation++;
    this.pages.clear();
    this.inFlight.clear();
    this.failedAt.clear();
    this._total = null;
    this.opts.onChange?.();
    this.schedule();
  }

  /**
   * Marks data outdated after a change. With `ids`, only pages holding one of them are affected,
   * unless none of the ids is loaded (an insertion, or a row that moved), in which case every
   * page is. Pages in view stay displayed until their refetch lands; others are dropped.
   */
  invalidate(ids?: readonly number[]): void {
    const idSet = ids ? new Set(ids) : null;
    let affected = [...this.pages.keys()];
    if (idSet) {
      const holding = affected.filter((o) => this.pages.get(o)?.items.some((r) => idSet.has(r.id)));
      if (holding.length > 0) affected = holding;
    }
    const visible = new Set(this.offsetsInRange());
    this.generation++;
    this.inFlight.clear();
    this.failedAt.clear();
    for (const offset of affected) {
      const page = this.pages.get(offset);
      if (!page) continue;
      if (visible.has(offset)) page.stale = true;
      else this.pages.delete(offset);
    }
    this.opts.onChange?.();
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private offsetsInRange(): number[] {
    const { start, end } = this.range;
    if (end <= start) return [];
    const last = this._total === null ? end - 1 : Math.min(end, this._total) - 1;
    const offsets: number[] = [];
    for (let o = this.pageOffsetOf(start); o <= last; o += this.pageSize) offsets.push(o);
    if (offsets.length === 0 && this._total === null) offsets.push(0);
    return offsets;
  }

  private schedule(): void {
    if (this.disposed) return;
    if (this.delayMs <= 0) {
      this.pump();
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, this.delayMs);
  }

  private pump(): void {
    if (this.disposed) return;
    const now = this.now();
    for (const offset of this.offsetsInRange()) {
      if (this.inFlight.size >= this.maxConcurrent) break;
      const page = this.pages.get(offset);
      if (page && !page.stale) continue;
      if (this.inFlight.has(offset)) continue;
      const failed = this.failedAt.get(offset);
      if (failed !== undefined && now - failed < this.retryAfterMs) continue;
      this.load(offset);
    }
  }

  private load(offset: number): void {
    const generation = this.generation;
    this.inFlight.add(offset);
    this.opts.fetch(offset, this.pageSize).then(
      (result) => {
        if (generation !== this.generation || this.disposed) return;
        this.inFlight.delete(offset);
        this.failedAt.delete(offset);
        this._total = result.total;
        this.pages.set(offset, { items: result.items, stale: false });
        this.dropBeyondTotal();
        this.evict();
        this.opts.onChange?.();
        this.pump();
      },
      (error: unknown) => {
        if (generation !== this.generation || this.disposed) return;
        this.inFlight.delete(offset);
        this.failedAt.set(offset, this.now());
        this.opts.onError?.(error);
        this.opts.onChange?.();
      },
    );
  }

  private touch(offset: number): void {
    const page = this.pages.get(offset);
    if (!page) return;
    this.pages.delete(offset);
    this.pages.set(offset, page);
  }

  private dropBeyondTotal(): void {
    if (this._total === null) return;
    for (const offset of [...this.pages.keys()]) if (offset >= this._total && offset > 0) this.pages.delete(offset);
  }

  private evict(): void {
    if (this.pages.size <= this.maxPages) return;
    const keep = new Set(this.offsetsInRange());
    for (const offset of [...this.pages.keys()]) {
      if (this.pages.size <= this.maxPages) break;
      if (!keep.has(offset)) this.pages.delete(offset);
    }
  }
}
