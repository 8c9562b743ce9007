import { describe, expect, it } from "vitest";
import {
  MAX_EDIT_DISTANCE,
  compareWithLastExport,
  diffLines,
  headerLines,
  hunks,
  splitLines,
  type DiffLine,
} from "./messageDiff";

/** Applies a diff to `before`; must give `after`. */
function apply(diff: readonly DiffLine[]): { before: string[]; after: string[] } {
  return {
    before: diff.filter((l) => l.op !== "added").map((l) => l.text),
    after: diff.filter((l) => l.op !== "removed").map((l) => l.text),
  };
}

const ops = (diff: readonly DiffLine[]) => diff.map((l) => `${l.op[0] ?? ""}${l.text}`);

describe("diffLines", () => {
  it("finds the shortest script and keeps common lines", () => {
    const diff = diffLines(["a", "b", "c", "a", "b", "b", "a"], ["c", "b", "a", "b", "a", "c"]);
    const changed = diff.filter((l) => l.op !== "same").length;
    expect(changed).toBe(5); // the classic Myers example: edit distance 5
    expect(apply(diff)).toEqual({
      before: ["a", "b", "c", "a", "b", "b", "a"],
      after: ["c", "b", "a", "b", "a", "c"],
    });
  });

  it("marks one changed line as removed then added, with line indices", () => {
    const diff = diffLines(["<A>", "<T>Blue</T>", "</A>"], ["<A>", "<T>Gold</T>", "</A>"]);
    expect(ops(diff)).toEqual(["s<A>", "r<T>Blue</T>", "a<T>Gold</T>", "s</A>"]);
    expect(diff[1]).toMatchObject({ oldIndex: 1, newIndex: null });
    expect(diff[2]).toMatchObject({ oldIndex: null, newIndex: 1 });
    expect(diff[3]).toMatchObject({ oldIndex: 2, newIndex: 2 });
  });

  it("handles empty sides and identical input", () => {
    expect(ops(diffLines([], ["x"]))).toEqual(["ax"]);
    expect(ops(diffLines(["x"], []))).toEqual(["rx"]);
    expect(diffLines(["x", "y"], ["x", "y"]).every((l) => l.op === "same")).toBe(true);
  });

  it("round-trips random edits", () => {
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let n = 0; n < 200; n++) {
      const a = Array.from({ length: next() % 15 }, () => String(next() % 4));
      const b = Array.from({ length: next() % 15 }, () => String(next() % 4));
      expect(apply(diffLines(a, b))).toEqual({ before: a, after: b });
    }
  });

  it("still gives a correct (if longer) script beyond the search limit", () => {
    const a = Array.from({ length: MAX_EDIT_DISTANCE + 10 }, (_, i) => `old ${i}`);
    const b = Array.from({ length: MAX_EDIT_DISTANCE + 10 }, (_, i) => `new ${i}`);
    const diff = diffLines(["<head>", ...a], ["<head>", ...b]);
    expect(apply(diff)).toEqual({ before: ["<head>", ...a], after: ["<head>", ...b] });
    expect(diff[0]?.op).toBe("same");
  });
});

describe("hunks", () => {
  const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);

  it("shows changes with context and unified-diff line numbers", () => {
    const after = before.map((l) => (l === "line 10" ? "line ten" : l));
    const [hunk, ...rest] = hunks(diffLines(before, after), 2);
    expect(rest).toEqual([]);
    expect(hunk).toMatchObject({ oldStart: 8, oldLines: 5, newStart: 8, newLines: 5 });
    expect(hunk?.lines.map((l) => l.text)).toEqual(["line 8", "line 9", "line 10", "line ten", "line 11", "line 12"]);
  });

  it("merges nearby changes and splits distant ones", () => {
    const near = before.map((l) => (l === "line 5" || l === "line 8" ? `${l}!` : l));
    expect(hunks(diffLines(before, near), 2)).toHaveLength(1);
    const far = before.map((l) => (l === "line 2" || l === "line 18" ? `${l}!` : l));
    const split = hunks(diffLines(before, far), 2);
    expect(split.map((h) => [h.oldStart, h.oldLines])).toEqual([
      [1, 4],
      [16, 5],
    ]);
  });

  it("numbers a pure insertion from the line before it", () => {
    const [hunk] = hunks(diffLines(["a", "b"], ["a", "b", "c"]), 0);
    expect(hunk).toMatchObject({ oldStart: 2, oldLines: 0, newStart: 3, newLines: 1 });
  });
});

const message = (title: string, id: string) =>
  [
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<ern:NewReleaseMessage>",
    "  <MessageHeader>",
    `    <MessageId>${id}</MessageId>`,
    "  </MessageHeader>",
    `  <TitleText>${title}</TitleText>`,
    "</ern:NewReleaseMessage>",
    "",
  ].join("\n");

describe("compareWithLastExport", () => {
  const last = { xml: message("Blue", "M1"), exportedAt: "2026-01-05T10:00:00Z", batchId: "B1" };

  it("says when the release was never exported under the profile", () => {
    expect(compareWithLastExport(message("Blue", "M1"), null)).toEqual({ state: "never-exported" });
  });

  it("says no changes when the message is as exported, line endings aside", () => {
    expect(compareWithLastExport(last.xml, last)).toEqual({ state: "unchanged", exportedAt: last.exportedAt, batchId: "B1" });
    expect(compareWithLastExport(last.xml.replaceAll("\n", "\r\n"), last).state).toBe("unchanged");
  });

  it("counts changed lines and tells header-only changes apart", () => {
    const changed = compareWithLastExport(message("Gold", "M2"), last);
    expect(changed).toMatchObject({ state: "changed", added: 2, removed: 2, headerOnly: false });
    const headerOnly = compareWithLastExport(message("Blue", "M2"), last);
    expect(headerOnly).toMatchObject({ state: "changed", added: 1, removed: 1, headerOnly: true });
  });

  it("has nothing to compare when no message can be built now", () => {
    expect(compareWithLastExport(null, last)).toEqual({ state: "no-message" });
  });
});

describe("helpers", () => {
  it("splits lines without a phantom last line", () => {
    expect(splitLines("a\nb\n")).toEqual(["a", "b"]);
    expect(splitLines("a\r\nb")).toEqual(["a", "b"]);
    expect(splitLines("")).toEqual([]);
  });

  it("finds the header's lines, prefixed or not", () => {
    expect([...headerLines(splitLines(message("x", "y")))]).toEqual([2, 3, 4]);
    expect([...headerLines(["<a:MessageHeader>", "</a:MessageHeader>", "<X/>"])]).toEqual([0, 1]);
    expect(headerLines(["<Other/>"]).size).toBe(0);
  });
});
