// Windowing math for fixed-row-height virtual lists. Pure, so it is unit-tested directly.

export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  overscan: number;
  total: number;
}

/** Rows to render: [start, end) — visible rows plus `overscan` on each side, clamped. */
export interface RowRange {
  start: number;
  end: number;
}

export function visibleRange({ scrollTop, viewportHeight, rowHeight, overscan, total }: WindowInput): RowRange {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const top = Math.max(0, scrollTop);
  const firstVisible = Math.min(total - 1, Math.floor(top / rowHeight));
  const visibleCount = Math.max(1, Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight) - firstVisible);
  const start = Math.max(0, firstVisible - overscan);
  const end = Math.min(total, firstVisible + visibleCount + overscan);
  return { start, end };
}

/** Rows fully visible in the viewport (without overscan), for PageUp/PageDown. */
export function rowsPerPage(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight));
}

/**
 * The scrollTop that brings row `index` fully into view with minimal movement, or the current
 * scrollTop when it already is.
 */
export function scrollTopToReveal(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight);
  return scrollTop;
}

export type NavKey = "ArrowUp" | "ArrowDown" | "PageUp" | "PageDown" | "Home" | "End";

export function isNavKey(key: string): key is NavKey {
  return (
    key === "ArrowUp" ||
    key === "ArrowDown" ||
    key === "PageUp" ||
    key === "PageDown" ||
    key === "Home" ||
    key === "End"
  );
}

/**
 * New selected index after a navigation key. `current` is -1 when nothing is selected (then
 * any key selects a sensible first row). Returns -1 only when the list is empty.
 */
export function nextIndex(key: NavKey, current: number, pageSize: number, total: number): number {
  if (total <= 0) return -1;
  const last = total - 1;
  const page = Math.max(1, pageSize);
  if (current < 0) return key === "End" ? last : 0;
  switch (key) {
    case "ArrowUp":
      return Math.max(0, current - 1);
    case "ArrowDown":
      return Math.min(last, current + 1);
    case "PageUp":
      return Math.max(0, current - page);
    case "PageDown":
      return Math.min(last, current + page);
    case "Home":
      return 0;
    case "End":
      return last;
  }
}
