import { describe, expect, it } from "vitest";
import { progressPercent } from "./format";

describe("progressPercent", () => {
  it("computes the bar without dividing by an unknown total", () => {
    expect(progressPercent(null)).toBe(0);
    expect(progressPercent({ done: 0, total: 0 })).toBe(0);
    expect(progressPercent({ done: 1, total: 3 })).toBe(33);
    expect(progressPercent({ done: 1, total: 4 })).toBe(25);
    expect(progressPercent({ done: 5, total: 3 })).toBe(100);
  });
});
