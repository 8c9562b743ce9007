import { describe, expect, it } from "vitest";
import type { ReleaseRights, Window } from "../../lib/ipc/client";
import {
  applyBulk,
  BulkSyntaxError,
  cellState,
  changeForSelection,
  contains,
  describeRule,
  parseBulkCommand,
  type BulkScope,
} from "./rightsLogic";

const anywhere: BulkScope = { store: null, usage: null, start: null, end: null };
const windows: Window[] = [
  { start: null, end: null, preorder_start: null },
  { start: "2027-03-01", end: "2027-12-31", preorder_start: "2027-02-01" },
];

describe("cellState", () => {
  it("reads a cell against the as-of date", () => {
    expect(cellState(0, windows, "2027-01-01")).toBe("unavailable");
    expect(cellState(1, windows, "2027-01-01")).toBe("available");
    expect(cellState(2, windows, "2027-01-15")).toBe("scheduled");
    expect(cellState(2, windows, "2027-02-01")).toBe("preorder");
    expect(cellState(2, windows, "2027-03-01")).toBe("available");
    expect(cellState(2, windows, "2027-12-31")).toBe("available");
    expect(cellState(2, windows, "2028-01-01")).toBe("ended");
  });
});

describe("parseBulkCommand", () => {
  it("reads “Worldwide except … for tracks 3–7” as an include and its exceptions on those tracks", () => {
    const changes = parseBulkCommand("Worldwide except JP, DE, AT, CH, NL, AU, NZ for tracks 3–7", 9, anywhere);
    expect(changes).toHaveLength(2);
    expect(changes[0]?.rows).toEqual([3, 4, 5, 6, 7]);
    expect(changes[0]?.rule).toMatchObject({ kind: "include", territories: ["Worldwide"] });
    expect(changes[1]?.rule).toMatchObject({ kind: "exclude", territories: ["JP", "DE", "AT", "CH", "NL", "AU", "NZ"] });
  });

  it("is release-wide without a track range and keeps the store and dates of the scope", () => {
    const scope: BulkScope = { store: "spotify", usage: "download", start: "2027-01-15", end: null };
    const [change] = parseBulkCommand("include EU", 3, scope);
    expect(change?.rows).toEqual([0]);
    expect(change?.rule).toMatchObject({ kind: "include", territories: ["EU"], store: "spotify", use: "download", start: "2027-01-15" });
    const [exclude] = parseBulkCommand("exclude JP and KR for track 2", 3, scope);
    expect(exclude?.rows).toEqual([2]);
    expect(exclude?.rule.start).toBeUndefined();
    expect(exclude?.rule.territories).toEqual(["JP", "KR"]);
  });

  it("accepts lists of tracks and ranges", () => {
    expect(parseBulkCommand("exclude JP for tracks 1-2, 5", 6, anywhere)[0]?.rows).toEqual([1, 2, 5]);
  });

  it("refuses what it cannot read, saying why", () => {
    expect(() => parseBulkCommand("exclude JP for tracks 4–9", 6, anywhere)).toThrow(/not on this release \(it has 6\)/);
    expect(() => parseBulkCommand("", 6, anywhere)).toThrow(BulkSyntaxError);
    expect(() => parseBulkCommand("exclude JP except DE", 6, anywhere)).toThrow(/ambiguous/);
  });
});

describe("selection and bulk application", () => {
  const rights: ReleaseRights = { tracks: [11, 12, 13], release: [], track_rules: [] };

  it("turns a rectangle into one rule per selected row, in either drag direction", () => {
    const change = changeForSelection("exclude", { row0: 3, col0: 2, row1: 1, col1: 0 }, ["AT", "BE", "CH", "DE"], anywhere);
    expect(change.rows).toEqual([1, 2, 3]);
    expect(change.rule.territories).toEqual(["AT", "BE", "CH"]);
    expect(contains({ row0: 3, col0: 2, row1: 1, col1: 0 }, 2, 1)).toBe(true);
    expect(contains({ row0: 3, col0: 2, row1: 1, col1: 0 }, 0, 1)).toBe(false);
  });

  it("adds release rules for row 0 and track rules by position, without touching the input", () => {
    const next = applyBulk(rights, [
      { rows: [0, 2], rule: { kind: "exclude", territories: ["JP"] } },
      { rows: [2], rule: { kind: "include", territories: ["Worldwide"], start: "2027-05-01" } },
    ]);
    expect(next.release).toHaveLength(1);
    expect(next.track_rules).toEqual([
      { track: 12, rules: [{ kind: "exclude", territories: ["JP"] }, { kind: "include", territories: ["Worldwide"], start: "2027-05-01" }] },
    ]);
    expect(rights.release).toHaveLength(0);
  });

  it("describes a rule in words", () => {
    expect(describeRule({ kind: "include", territories: ["Worldwide"], store: "spotify", use: "ad_supported_stream", start: "2027-01-15" }))
      .toBe("include Worldwide on spotify for ad supported stream from 2027-01-15");
  });
});
