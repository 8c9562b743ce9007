import { describe, expect, it } from "vitest";
import type { ColumnMapping, FolderPlan, ImportPlan, JobProgress } from "../../lib/ipc/client";
import {
  applySavedMapping,
  canConfirm,
  duplicateTargets,
  exportFilter,
  exportScope,
  folderCounts,
  followJob,
  jobText,
  mappingCounts,
  mappingNameError,
  mappingRows,
  planCounts,
  problemWhere,
  setTarget,
  sortedProblems,
  sourceText,
  stepStatus,
  suggestedFileName,
  targetLabel,
  unknownToSaved,
  withExtension,
} from "./transferLogic";

const proposed: ColumnMapping = {
  layout: "track_per_row",
  columns: { Album: "release_title", ISRC: "isrc", Notes: null, UPC: "upc", Producer: "contributor:Producer" },
};

function plan(over: Partial<ImportPlan> = {}): ImportPlan {
  return {
    format: "csv",
    sheet: null,
    encoding: "UTF-8",
    delimiter: ",",
    rows: 3,
    mapping: proposed,
    releases: [
      {
        row_numbers: [2, 3],
        upc: "5060123459999",
        title: "Night Lines",
        action: { kind: "create" },
        tracks: [
          { row: 2, disc: 1, track: 1, isrc: "GBCTN2690001", title: "First", action: { kind: "create" } },
          { row: 3, disc: 1, track: 2, isrc: "GBCTN2690002", title: "Second", action: { kind: "create" } },
        ],
      },
      {
        row_numbers: [4],
        upc: "5060123450002",
        title: "Day Lines",
        action: { kind: "update", id: 7 },
        tracks: [{ row: 4, disc: 1, track: 1, isrc: null, title: "Dawn", action: { kind: "update", id: 70 } }],
      },
    ],
    problems: [],
    warnings: [],
    notes: [],
    ...over,
  };
}

function progress(over: Partial<JobProgress> = {}): JobProgress {
  return { id: 4, kind: "import", releaseId: null, done: 0, total: 0, message: "", state: "Running", ...over };
}

describe("wizard steps", () => {
  it("marks the steps before the current one done", () => {
    expect(stepStatus("file", "plan")).toBe("done");
    expect(stepStatus("plan", "plan")).toBe("current");
    expect(stepStatus("done", "plan")).toBe("todo");
  });
});

describe("mapping table", () => {
  it("lists every header with its target, ignored ones as null", () => {
    expect(mappingRows(proposed)).toContainEqual({ header: "Notes", target: null });
    expect(mappingRows(proposed)).toContainEqual({ header: "UPC", target: "upc" });
    expect(mappingCounts(proposed)).toEqual({ mapped: 4, ignored: 1 });
  });

  it("changes one header's target without touching the original", () => {
    const changed = setTarget(proposed, "Notes", "genre");
    expect(changed.columns.Notes).toBe("genre");
    expect(proposed.columns.Notes).toBeNull();
    expect(setTarget(changed, "UPC", null).columns.UPC).toBeNull();
    expect(changed.layout).toBe("track_per_row");
  });

  it("names both headers that feed the same target", () => {
    const twice = setTarget(proposed, "Notes", "isrc");
    const dups = duplicateTargets(twice);
    expect([...dups.keys()].sort()).toEqual(["ISRC", "Notes"]);
    expect(dups.get("Notes")).toBe('ISRC is also fed by "ISRC"');
    expect(duplicateTargets(proposed).size).toBe(0);
  });

  it("labels targets for people", () => {
    expect(targetLabel("upc")).toBe("UPC");
    expect(targetLabel("release_title")).toBe("Release title");
    expect(targetLabel("contributor:MixingEngineer")).toBe("Credit: Mixing Engineer");
    expect(targetLabel("writer:ComposerLyricist")).toBe("Writer: Composer Lyricist");
  });

  it("checks a mapping's name as the core does", () => {
    expect(mappingNameError("believe-2026_v1.2")).toBeNull();
    expect(mappingNameError("")).not.toBeNull();
    expect(mappingNameError("my mapping")).not.toBeNull();
    expect(mappingNameError("x".repeat(65))).not.toBeNull();
  });

  it("applies a saved mapping to this file's headers only", () => {
    const saved: ColumnMapping = { layout: "catno", columns: { UPC: "upc", Notes: "genre", Extra: "c_line" } };
    const applied = applySavedMapping(proposed, saved);
    expect(applied.columns).toEqual({ Album: null, ISRC: null, Notes: "genre", UPC: "upc", Producer: null });
    expect(applied.layout).toBe("catno");
    expect(unknownToSaved(proposed, saved)).toEqual(["Album", "ISRC", "Producer"]);
  });
});

describe("dry run", () => {
  it("counts new and matched releases and tracks", () => {
    expect(planCounts(plan())).toEqual({
      releasesNew: 1,
      releasesMatched: 1,
      tracksNew: 2,
      tracksMatched: 1,
      problems: 0,
      warnings: 0,
    });
  });

  it("allows confirming only a plan without problems that writes something", () => {
    expect(canConfirm(plan())).toBe(true);
    expect(canConfirm(null)).toBe(false);
    expect(canConfirm(plan({ releases: [] }))).toBe(false);
    expect(canConfirm(plan({ problems: [{ row: 3, column: "upc", message: "bad check digit" }] }))).toBe(false);
  });

  it("says where each problem is, in file order", () => {
    const problems = [
      { row: 5, column: "isrc", message: "b" },
      { row: 3, column: "upc", message: "a" },
      { row: 3, column: "", message: "row" },
    ];
    expect(sortedProblems(problems).map((p) => problemWhere(p))).toEqual(["Row 3", "Row 3 · UPC", "Row 5 · ISRC"]);
  });

  it("describes the file that was read", () => {
    expect(sourceText(plan())).toBe("CSV · UTF-8 · delimiter , · 3 data rows");
    expect(sourceText(plan({ format: "xlsx", sheet: "Tracks", encoding: "", delimiter: "", rows: 1 }))).toBe(
      'XLSX · sheet "Tracks" · 1 data row',
    );
  });
});

describe("jobs", () => {
  it("follows the first running job of its kind and then only that one", () => {
    expect(followJob(null, progress({ kind: "qc_release" }), "import")).toBeNull();
    const mine = followJob(null, progress({ id: 9 }), "import");
    expect(mine?.id).toBe(9);
    expect(followJob(mine, progress({ id: 10, done: 5 }), "import")).toBe(mine);
    expect(followJob(mine, progress({ id: 9, done: 2, total: 4 }), "import")?.done).toBe(2);
  });

  it("shows progress by releases once the total is known", () => {
    expect(jobText(progress(), "Reading the file")).toBe("Reading the file…");
    expect(jobText(progress({ done: 1, total: 4, message: "Night Lines" }), "x")).toBe("1 of 4 releases · Night Lines");
  });
});

describe("folder import", () => {
  it("counts matched audio and artwork apart from the rest", () => {
    const folder: FolderPlan = {
      folder: "/masters",
      matched: [
        { path: "/m/a.wav", kind: "audio", matched_by: "ISRC GBCTN2690001", owner: { kind: "Track", id: 1 }, release_id: 1, title: "A", reason: null },
        { path: "/m/c.jpg", kind: "artwork", matched_by: "UPC 5060123459999", owner: { kind: "Release", id: 1 }, release_id: 1, title: "R", reason: null },
      ],
      unmatched: [{ path: "/m/x.wav", kind: "audio", matched_by: null, owner: null, release_id: null, title: null, reason: "no ISRC" }],
      ignored: ["/m/notes.txt", "/m/.DS_Store"],
      problems: [],
    };
    expect(folderCounts(folder)).toEqual({ audio: 1, artwork: 1, unmatched: 1, ignored: 2, problems: 0 });
  });
});

describe("export", () => {
  it("suggests file names that say what is inside", () => {
    expect(suggestedFileName({ format: "xlsx", layout: "label_copy" }, "Northern Lights")).toBe(
      "Northern-Lights-label-copy.xlsx",
    );
    expect(suggestedFileName({ format: "csv", layout: "template" }, "  ")).toBe("catalog.csv");
    expect(suggestedFileName({ pdf: "split_sheet" }, "NLR001")).toBe("NLR001-split-sheet.pdf");
  });

  it("adds the extension only when it is missing", () => {
    expect(withExtension("/tmp/out", "xlsx")).toBe("/tmp/out.xlsx");
    expect(withExtension("/tmp/OUT.XLSX", "xlsx")).toBe("/tmp/OUT.XLSX");
    expect(exportFilter("pdf").extensions).toEqual(["pdf"]);
  });

  it("turns the chosen scope into what the core exports", () => {
    expect(exportScope("all", 3, 2)).toEqual({ kind: "all" });
    expect(exportScope("label", 3, 2)).toEqual({ kind: "label", id: 2 });
    expect(exportScope("release", 3, 2)).toEqual({ kind: "releases", ids: [3] });
    // A scope with nothing chosen exports nothing rather than the whole catalog.
    expect(exportScope("release", null, 2)).toEqual({ kind: "releases", ids: [] });
    expect(exportScope("label", 3, null)).toEqual({ kind: "releases", ids: [] });
  });
});
