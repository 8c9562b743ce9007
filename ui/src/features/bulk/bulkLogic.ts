// Bulk editing, framework-free: the selection in lists, the edit form, preview summaries and
// the undo entry. The backend previews, applies (all or nothing) and undoes; this only shapes
// what is sent and shown.
import type {
  BulkApplied,
  BulkEdit,
  BulkPreview,
  BulkTargets,
  BulkUndo,
  ContributorRole,
} from "../../lib/ipc/client";
import type { UndoEntry } from "../../lib/undo";

export type Operation = BulkEdit["op"];
export type TargetKind = BulkTargets["kind"];

export interface OperationInfo {
  op: Operation;
  label: string;
  /** Only meaningful on releases (the backend refuses it on tracks). */
  releasesOnly: boolean;
}

export const OPERATIONS: readonly OperationInfo[] = [
  { op: "setReleaseField", label: "Set a release field", releasesOnly: true },
  { op: "setTrackField", label: "Set a track field", releasesOnly: false },
  { op: "addContributor", label: "Add a contributor", releasesOnly: false },
  { op: "removeContributor", label: "Remove a contributor", releasesOnly: false },
  { op: "changeLabel", label: "Change label", releasesOnly: true },
  { op: "applyTerritoryPreset", label: "Apply a territory preset", releasesOnly: true },
];

/** Release fields a bulk edit may set (identifiers that must be unique are left out on purpose:
 * the backend would refuse all but one item). `label_id` is its own operation. */
export const BULK_RELEASE_FIELDS = [
  "genre",
  "subgenre",
  "release_type",
  "p_line",
  "c_line",
  "release_date",
  "original_release_date",
  "parental_advisory",
  "metadata_language",
  "display_artist",
  "version",
  "catalog_number",
] as const;

export const BULK_TRACK_FIELDS = ["explicit", "audio_language", "display_artist", "version"] as const;

export function operationsFor(kind: TargetKind): OperationInfo[] {
  return OPERATIONS.filter((o) => kind === "releases" || !o.releasesOnly);
}

export interface BulkForm {
  op: Operation;
  field: string;
  value: string;
  artist: string;
  role: ContributorRole;
  labelId: number | null;
  /** Territory preset: what to include (empty: Worldwide) and, optionally, exclude. */
  include: string;
  exclude: string;
}

export type FormErrors = Partial<Record<"field" | "artist" | "labelId", string>>;

/** What must be filled in before the backend is asked; value checks are the backend's. */
export function formErrors(form: BulkForm): FormErrors {
  const errors: FormErrors = {};
  switch (form.op) {
    case "setReleaseField":
    case "setTrackField":
      if (form.field.trim() === "") errors.field = "Choose a field";
      break;
    case "addContributor":
    case "removeContributor":
      if (form.artist.trim() === "") errors.artist = "Enter the artist's name";
      break;
    case "changeLabel":
      if (form.labelId === null) errors.labelId = "Choose a label";
      break;
    case "applyTerritoryPreset":
      // An empty include is Worldwide; the backend checks the territory names.
      break;
  }
  return errors;
}

/** The edit the form describes, or null while it is incomplete. */
export function buildEdit(form: BulkForm): BulkEdit | null {
  if (Object.keys(formErrors(form)).length > 0) return null;
  switch (form.op) {
    case "setReleaseField":
      return { op: "setReleaseField", field: form.field, value: form.value };
    case "setTrackField":
      return { op: "setTrackField", field: form.field, value: form.value };
    case "addContributor":
      return { op: "addContributor", artist: form.artist.trim(), role: form.role };
    case "removeContributor":
      return { op: "removeContributor", artist: form.artist.trim(), role: form.role };
    case "changeLabel":
      return form.labelId === null ? null : { op: "changeLabel", labelId: form.labelId };
    case "applyTerritoryPreset":
      return { op: "applyTerritoryPreset", include: form.include.trim(), exclude: form.exclude.trim() };
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `Set genre on 3 releases`, for the undo menu and toasts. */
export function editLabel(edit: BulkEdit, targets: BulkTargets): string {
  const what = plural(targets.ids.length, targets.kind === "releases" ? "release" : "track");
  switch (edit.op) {
    case "setReleaseField":
    case "setTrackField":
      return `Set ${edit.field.replace(/_/g, " ")} on ${what}`;
    case "addContributor":
      return `Credit ${edit.artist} on ${what}`;
    case "removeContributor":
      return `Remove ${edit.artist} from ${what}`;
    case "changeLabel":
      return `Change label of ${what}`;
    case "applyTerritoryPreset":
      return `Territories ${edit.include || "Worldwide"}${edit.exclude ? ` except ${edit.exclude}` : ""} on ${what}`;
  }
}

/** `3 will change · 1 already so · 2 refused`. */
export function previewSummary(preview: BulkPreview): string {
  const parts = [`${preview.changes.length} will change`];
  if (preview.unchanged.length > 0) parts.push(`${preview.unchanged.length} already so`);
  if (preview.refusals.length > 0) parts.push(`${preview.refusals.length} refused`);
  return parts.join(" · ");
}

/** Apply only what was previewed, when it changes something and nothing is refused. */
export function canApply(preview: BulkPreview | null): boolean {
  return preview !== null && preview.changes.length > 0 && preview.refusals.length === 0;
}

/** How a value is shown in the before → after table. */
export function shownValue(value: string): string {
  return value === "" ? "—" : value;
}

export interface BulkRunner {
  apply(targets: BulkTargets, edit: BulkEdit): Promise<BulkApplied>;
  undo(undo: BulkUndo): Promise<unknown>;
}

/** An app undo-stack entry: undo restores the values before; redo applies the edit again
 * (producing a fresh undo record). Both are refused by the backend if items changed since. */
export function bulkUndoEntry(
  applied: BulkApplied,
  targets: BulkTargets,
  edit: BulkEdit,
  runner: BulkRunner,
): UndoEntry & { record(): BulkUndo } {
  let record = applied.undo;
  return {
    label: editLabel(edit, targets),
    record: () => record,
    undo: async () => {
      await runner.undo(record);
    },
    redo: async () => {
      record = (await runner.apply(targets, edit)).undo;
    },
  };
}

// ---- Selection in a list: checkbox click, shift-click for a range, select all loaded.

export interface Selection {
  ids: ReadonlySet<number>;
  /** Index of the last row clicked without shift: where a shift-click range starts. */
  anchor: number | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

/**
 * A click on row `index`'s checkbox. Without shift it toggles the row and becomes the anchor;
 * with shift every row from the anchor to `index` takes the state the clicked row toggles to.
 * `idAt` gives the id of a loaded row (rows not loaded are skipped).
 */
export function clickSelect(
  selection: Selection,
  index: number,
  shift: boolean,
  idAt: (index: number) => number | undefined,
): Selection {
  const id = idAt(index);
  if (id === undefined) return selection;
  const ids = new Set(selection.ids);
  const select = !ids.has(id);
  if (!shift || selection.anchor === null) {
    if (select) ids.add(id);
    else ids.delete(id);
    return { ids, anchor: index };
  }
  const [from, to] = selection.anchor <= index ? [selection.anchor, index] : [index, selection.anchor];
  for (let i = from; i <= to; i++) {
    const rowId = idAt(i);
    if (rowId === undefined) continue;
    if (select) ids.add(rowId);
    else ids.delete(rowId);
  }
  return { ids, anchor: selection.anchor };
}

/** Selects every id given (the loaded rows), or clears when all of them are selected. */
export function toggleAll(selection: Selection, loaded: readonly number[]): Selection {
  const all = loaded.length > 0 && loaded.every((id) => selection.ids.has(id));
  if (all) {
    const ids = new Set(selection.ids);
    for (const id of loaded) ids.delete(id);
    return { ids, anchor: null };
  }
  return { ids: new Set([...selection.ids, ...loaded]), anchor: null };
}

/** The header checkbox: checked, unchecked or mixed over the loaded rows. */
export function allState(selection: Selection, loaded: readonly number[]): "all" | "some" | "none" {
  const count = loaded.filter((id) => selection.ids.has(id)).length;
  if (count === 0) return "none";
  return count === loaded.length ? "all" : "some";
}
