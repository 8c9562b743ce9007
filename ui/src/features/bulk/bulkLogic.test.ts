import { describe, expect, it, vi } from "vitest";
import type { BulkApplied, BulkEdit, BulkPreview, BulkTargets, BulkUndo } from "../../lib/ipc/client";
import { UndoStack } from "../../lib/undo";
import {
  EMPTY_SELECTION,
  allState,
  buildEdit,
  bulkUndoEntry,
  canApply,
  clickSelect,
  editLabel,
  formErrors,
  operationsFor,
  previewSummary,
  toggleAll,
  type BulkForm,
} from "./bulkLogic";

const form = (over: Partial<BulkForm> = {}): BulkForm => ({
  op: "setReleaseField",
  field: "genre",
  value: "Ambient",
  artist: "",
  role: "Producer",
  labelId: null,
  include: "",
  exclude: "",
  ...over,
});

const item = (id: number) => ({ kind: "release" as const, id, name: `R${id}` });

describe("edit form", () => {
  it("builds each operation's edit and refuses incomplete forms", () => {
    expect(buildEdit(form())).toEqual({ op: "setReleaseField", field: "genre", value: "Ambient" });
    // An empty value is a real edit: it clears an optional field.
    expect(buildEdit(form({ value: "" }))).toEqual({ op: "setReleaseField", field: "genre", value: "" });
    expect(buildEdit(form({ field: "" }))).toBeNull();
    expect(formErrors(form({ op: "addContributor", artist: "  " }))).toEqual({ artist: "Enter the artist's name" });
    expect(buildEdit(form({ op: "removeContributor", artist: " Mara " }))).toEqual({
      op: "removeContributor",
      artist: "Mara",
      role: "Producer",
    });
    expect(buildEdit(form({ op: "changeLabel" }))).toBeNull();
    expect(buildEdit(form({ op: "changeLabel", labelId: 3 }))).toEqual({ op: "changeLabel", labelId: 3 });
    expect(buildEdit(form({ op: "applyTerritoryPreset", include: " EU, CH ", exclude: " DE" }))).toEqual({
      op: "applyTerritoryPreset",
      include: "EU, CH",
      exclude: "DE",
    });
  });

  it("offers release-only operations only for releases", () => {
    const onTracks = operationsFor("tracks").map((o) => o.op);
    expect(onTracks).toEqual(["setTrackField", "addContributor", "removeContributor"]);
    expect(operationsFor("releases")).toHaveLength(6);
  });

  it("labels edits for the undo menu", () => {
    const targets: BulkTargets = { kind: "releases", ids: [1, 2, 3] };
    expect(editLabel({ op: "setReleaseField", field: "p_line", value: "2024 X" }, targets)).toBe(
      "Set p line on 3 releases",
    );
    expect(editLabel({ op: "addContributor", artist: "Mara", role: "Producer" }, { kind: "tracks", ids: [9] })).toBe(
      "Credit Mara on 1 track",
    );
    expect(editLabel({ op: "applyTerritoryPreset", include: "", exclude: "JP" }, targets)).toBe(
      "Territories Worldwide except JP on 3 releases",
    );
  });
});

describe("preview", () => {
  const preview = (over: Partial<BulkPreview> = {}): BulkPreview => ({
    changes: [{ item: item(1), field: "genre", before: "", after: "Ambient" }],
    unchanged: [],
    refusals: [],
    ...over,
  });

  it("can be applied only when something changes and nothing is refused", () => {
    expect(canApply(null)).toBe(false);
    expect(canApply(preview())).toBe(true);
    expect(canApply(preview({ changes: [] }))).toBe(false);
    expect(canApply(preview({ refusals: [{ item: item(2), field: "upc", message: "in use" }] }))).toBe(false);
  });

  it("summarises counts", () => {
    expect(previewSummary(preview())).toBe("1 will change");
    expect(
      previewSummary(preview({ unchanged: [item(4)], refusals: [{ item: item(2), field: "upc", message: "x" }] })),
    ).toBe("1 will change · 1 already so · 1 refused");
  });
});

describe("undo entry", () => {
  it("undoes through the record and redoes with a fresh one", async () => {
    const targets: BulkTargets = { kind: "releases", ids: [1, 2] };
    const edit: BulkEdit = { op: "setReleaseField", field: "genre", value: "Ambient" };
    const first: BulkUndo = { edit, entries: [{ item: item(1), before: "", after: "Ambient" }] };
    const second: BulkUndo = { edit, entries: [{ item: item(1), before: "Pop", after: "Ambient" }] };
    const applied = (undo: BulkUndo): BulkApplied => ({
      preview: { changes: [], unchanged: [], refusals: [] },
      undo,
    });
    const runner = { apply: vi.fn(() => Promise.resolve(applied(second))), undo: vi.fn(() => Promise.resolve()) };
    const entry = bulkUndoEntry(applied(first), targets, edit, runner);
    const stack = new UndoStack();
    stack.push(entry);
    await stack.undo();
    expect(runner.undo).toHaveBeenCalledWith(first);
    await stack.redo();
    expect(runner.apply).toHaveBeenCalledWith(targets, edit);
    expect(entry.record()).toBe(second);
    await stack.undo();
    expect(runner.undo).toHaveBeenLastCalledWith(second);
  });

  it("stays on the stack when the backend refuses the undo", async () => {
    const edit: BulkEdit = { op: "changeLabel", labelId: 2 };
    const undo: BulkUndo = { edit, entries: [] };
    const runner = { apply: vi.fn(), undo: vi.fn(() => Promise.reject(new Error("changed since"))) };
    const stack = new UndoStack();
    stack.push(bulkUndoEntry({ preview: { changes: [], unchanged: [], refusals: [] }, undo }, { kind: "releases", ids: [1] }, edit, runner));
    await expect(stack.undo()).rejects.toThrow("changed since");
    expect(stack.canUndo).toBe(true);
  });
});

describe("selection", () => {
  const ids = [10, 11, 12, 13, 14];
  const idAt = (i: number) => ids[i];

  it("toggles single rows and sets the anchor", () => {
    let s = clickSelect(EMPTY_SELECTION, 1, false, idAt);
    expect([...s.ids]).toEqual([11]);
    expect(s.anchor).toBe(1);
    s = clickSelect(s, 1, false, idAt);
    expect(s.ids.size).toBe(0);
  });

  it("shift-click selects the range from the anchor, either direction", () => {
    let s = clickSelect(EMPTY_SELECTION, 3, false, idAt);
    s = clickSelect(s, 0, true, idAt);
    expect([...s.ids].sort()).toEqual([10, 11, 12, 13]);
    // Shift-click on a selected row clears the range.
    s = clickSelect(s, 1, true, idAt);
    expect([...s.ids].sort()).toEqual([10]);
  });

  it("skips rows that are not loaded", () => {
    const sparse = (i: number) => (i === 2 ? undefined : ids[i]);
    let s = clickSelect(EMPTY_SELECTION, 0, false, sparse);
    s = clickSelect(s, 4, true, sparse);
    expect([...s.ids].sort()).toEqual([10, 11, 13, 14]);
    expect(clickSelect(s, 2, false, sparse)).toBe(s);
  });

  it("select all toggles the loaded rows and reports a mixed state", () => {
    let s = clickSelect(EMPTY_SELECTION, 0, false, idAt);
    expect(allState(s, ids)).toBe("some");
    s = toggleAll(s, ids);
    expect(allState(s, ids)).toBe("all");
    s = toggleAll(s, ids);
    expect(allState(s, ids)).toBe("none");
    expect(allState(s, [])).toBe("none");
  });
});
