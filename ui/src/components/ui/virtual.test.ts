import { describe, expect, it } from "vitest";
import { nextIndex, rowsPerPage, scrollTopToReveal, visibleRange } from "./virtual";

describe("visibleRange", () => {
  const base = { rowHeight: 28, overscan: 5, total: 100_000, viewportHeight: 560 };

  it("renders the rows in view plus overscan below at the top", () => {
    // 560 / 28 = 20 rows visible.
    expect(visibleRange({ ...base, scrollTop: 0 })).toEqual({ start: 0, end: 25 });
  });

  it("adds overscan on both sides in the middle of a huge list", () => {
    const scrollTop = 50_000 * 28; // row 50,000 at the top
    expect(visibleRange({ ...base, scrollTop })).toEqual({ start: 49_995, end: 50_025 });
  });

  it("counts a partially visible row at the bottom", () => {
    // Scrolled by half a row: rows 0..20 are (partly) visible = 21 rows.
    expect(visibleRange({ ...base, overscan: 0, scrollTop: 14 })).toEqual({ start: 0, end: 21 });
  });

  it("clamps at the end of the list", () => {
    const scrollTop = 100_000 * 28 - 560;
    expect(visibleRange({ ...base, scrollTop })).toEqual({ start: 99_975, end: 100_000 });
  });

  it("stays within bounds when scrollTop overshoots (elastic scroll, shrinking list)", () => {
    expect(visibleRange({ ...base, total: 10, scrollTop: 99_999 })).toEqual({ start: 4, end: 10 });
    expect(visibleRange({ ...base, total: 10, scrollTop: -50 })).toEqual({ start: 0, end: 10 });
  });

  it("never renders more than visible + 2 × overscan rows", () => {
    for (const scrollTop of [0, 1, 27, 28, 12_345, 2_799_000]) {
      const { start, end } = visibleRange({ ...base, scrollTop });
      expect(end - start).toBeLessThanOrEqual(20 + 1 + 2 * base.overscan);
      expect(start).toBeGreaterThanOrEqual(0);
      expect(end).toBeLessThanOrEqual(base.total);
    }
  });

  it("is empty for an empty list or zero row height", () => {
    expect(visibleRange({ ...base, total: 0, scrollTop: 0 })).toEqual({ start: 0, end: 0 });
    expect(visibleRange({ ...base, rowHeight: 0, scrollTop: 0 })).toEqual({ start: 0, end: 0 });
  });

  it("still renders one row with an unmeasured (0 px) viewport", () => {
    expect(visibleRange({ ...base, viewportHeight: 0, overscan: 0, scrollTop: 0 })).toEqual({ start: 0, end: 1 });
  });
});

describe("scrollTopToReveal", () => {
  it("scrolls up to a row above the viewport", () => {
    expect(scrollTopToReveal(3, 280, 560, 28)).toBe(84);
  });
  it("scrolls down just enough for a row below the viewport", () => {
    // Row 30 bottom = 868; viewport 560 → scrollTop 308.
    expect(scrollTopToReveal(30, 0, 560, 28)).toBe(308);
  });
  it("does not move for a visible row", () => {
    expect(scrollTopToReveal(5, 0, 560, 28)).toBe(0);
  });
});

describe("nextIndex", () => {
  it("moves by one, by page and to the ends, clamped", () => {
    expect(nextIndex("ArrowDown", 5, 20, 100)).toBe(6);
    expect(nextIndex("ArrowUp", 5, 20, 100)).toBe(4);
    expect(nextIndex("ArrowUp", 0, 20, 100)).toBe(0);
    expect(nextIndex("ArrowDown", 99, 20, 100)).toBe(99);
    expect(nextIndex("PageDown", 5, 20, 100)).toBe(25);
    expect(nextIndex("PageDown", 90, 20, 100)).toBe(99);
    expect(nextIndex("PageUp", 15, 20, 100)).toBe(0);
    expect(nextIndex("Home", 50, 20, 100)).toBe(0);
    expect(nextIndex("End", 50, 20, 100)).toBe(99);
  });
  it("selects the first (or last for End) row when nothing is selected", () => {
    expect(nextIndex("ArrowDown", -1, 20, 100)).toBe(0);
    expect(nextIndex("PageDown", -1, 20, 100)).toBe(0);
    expect(nextIndex("End", -1, 20, 100)).toBe(99);
  });
  it("returns -1 on an empty list", () => {
    expect(nextIndex("ArrowDown", -1, 20, 0)).toBe(-1);
  });
  it("rowsPerPage counts fully visible rows, at least one", () => {
    expect(rowsPerPage(560, 28)).toBe(20);
    expect(rowsPerPage(570, 28)).toBe(20);
    expect(rowsPerPage(10, 28)).toBe(1);
  });
});
