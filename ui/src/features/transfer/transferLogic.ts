// Pure rules of the import wizard and the export dialog: the wizard's steps, the mapping table
// (targets, labels, duplicate targets), the dry run's counts and problems, job progress, and
// export file names. Components only render these.
import type {
  ColumnMapping,
  ExportFormat,
  ExportLayout,
  ExportScope,
  FolderPlan,
  ImportPlan,
  ImportProblem,
  JobProgress,
  PdfKind,
} from "../../lib/ipc/client";

/** The wizard's steps, in order. */
export const STEPS = ["file", "mapping", "plan", "running", "done"] as const;
export type Step = (typeof STEPS)[number];

export const STEP_LABELS: Record<Step, string> = {
  file: "File",
  mapping: "Mapping",
  plan: "Dry run",
  running: "Import",
  done: "Result",
};

/** Where a step sits in the progress strip: done, current or still to come. */
export function stepStatus(step: Step, current: Step): "done" | "current" | "todo" {
  const a = STEPS.indexOf(step);
  const b = STEPS.indexOf(current);
  return a < b ? "done" : a === b ? "current" : "todo";
}

/** Spreadsheet extensions the import reads (it tells the format by the file's first bytes). */
export const IMPORT_EXTENSIONS = ["csv", "tsv", "txt", "xlsx", "xls", "ods"] as const;

/** One row of the mapping table, in the mapping's header order. */
export interface MappingRow {
  header: string;
  target: string | null;
}

export function mappingRows(mapping: ColumnMapping): MappingRow[] {
  return Object.entries(mapping.columns).map(([header, target]) => ({ header, target: target ?? null }));
}

/** The mapping with `header` feeding `target` (`null` ignores the column). */
export function setTarget(mapping: ColumnMapping, header: string, target: string | null): ColumnMapping {
  return { ...mapping, columns: { ...mapping.columns, [header]: target } };
}

/**
 * Headers whose target another header also feeds, each with the message to show under it.
 * The core refuses such a mapping; the wizard says where before asking it.
 */
export function duplicateTargets(mapping: ColumnMapping): Map<string, string> {
  const byTarget = new Map<string, string[]>();
  for (const { header, target } of mappingRows(mapping)) {
    if (target === null) continue;
    byTarget.set(target, [...(byTarget.get(target) ?? []), header]);
  }
  const out = new Map<string, string>();
  for (const [target, headers] of byTarget) {
    if (headers.length < 2) continue;
    for (const header of headers) {
      const others = headers.filter((h) => h !== header).map((h) => `"${h}"`);
      out.set(header, `${targetLabel(target)} is also fed by ${others.join(", ")}`);
    }
  }
  return out;
}

/** How many columns feed something, and how many are ignored. */
export function mappingCounts(mapping: ColumnMapping): { mapped: number; ignored: number } {
  const rows = mappingRows(mapping);
  const mapped = rows.filter((r) => r.target !== null).length;
  return { mapped, ignored: rows.length - mapped };
}

const FIELD_LABELS: Record<string, string> = {
  upc: "UPC",
  isrc: "ISRC",
  p_line: "℗ line",
  c_line: "© line",
  disc: "Disc number",
  track: "Track number",
};

const ROLE_WORDS = /([a-z])([A-Z])/g;

/** `contributor:MixingEngineer` → "Credit: Mixing Engineer"; `release_title` → "Release title". */
export function targetLabel(target: string): string {
  const known = FIELD_LABELS[target];
  if (known) return known;
  const [kind, role] = target.split(":", 2);
  if (role !== undefined) {
    const words = role.replace(ROLE_WORDS, "$1 $2");
    return kind === "contributor" ? `Credit: ${words}` : kind === "writer" ? `Writer: ${words}` : target;
  }
  const text = target.replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The same rule the core applies to a mapping's name. */
export function mappingNameError(name: string): string | null {
  if (name.length === 0) return "Name the mapping to save it.";
  if (name.length > 64) return "At most 64 characters.";
  if (!/^[\p{L}\p{N}._-]+$/u.test(name)) return "Letters, digits, '-', '_' or '.' only (no spaces).";
  return null;
}

/** What the dry run would do, counted. */
export interface PlanCounts {
  releasesNew: number;
  releasesMatched: number;
  tracksNew: number;
  tracksMatched: number;
  problems: number;
  warnings: number;
}

export function planCounts(plan: ImportPlan): PlanCounts {
  let releasesNew = 0;
  let tracksNew = 0;
  let tracksMatched = 0;
  for (const release of plan.releases) {
    if (release.action.kind === "create") releasesNew++;
    for (const track of release.tracks) {
      if (track.action.kind === "create") tracksNew++;
      else tracksMatched++;
    }
  }
  return {
    releasesNew,
    releasesMatched: plan.releases.length - releasesNew,
    tracksNew,
    tracksMatched,
    problems: plan.problems.length,
    warnings: plan.warnings.length,
  };
}

/** Confirm is offered only for a plan with no problem and something to write. */
export function canConfirm(plan: ImportPlan | null): boolean {
  return plan !== null && plan.problems.length === 0 && plan.releases.length > 0;
}

/** "Row 3 · UPC" (or "Row 3" for a problem of the whole row). */
export function problemWhere(problem: ImportProblem): string {
  return problem.column === "" ? `Row ${problem.row}` : `Row ${problem.row} · ${targetLabel(problem.column)}`;
}

/** Problems in file order: by row, then column. */
export function sortedProblems(problems: readonly ImportProblem[]): ImportProblem[] {
  return [...problems].sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
}

/** What the dry run found about the file itself: format, sheet, encoding, delimiter. */
export function sourceText(plan: ImportPlan): string {
  const parts = [plan.format.toUpperCase()];
  if (plan.sheet) parts.push(`sheet "${plan.sheet}"`);
  if (plan.encoding) parts.push(plan.encoding);
  if (plan.delimiter) parts.push(`delimiter ${plan.delimiter}`);
  parts.push(`${plan.rows} data row${plan.rows === 1 ? "" : "s"}`);
  return parts.join(" · ");
}

/** "12 of 40 releases · Night Lines", or "Reading the file…" before the total is known. */
export function jobText(progress: JobProgress | null, verb: string): string {
  if (!progress || progress.total <= 0) return `${verb}…`;
  const tail = progress.message ? ` · ${progress.message}` : "";
  return `${progress.done} of ${progress.total} release${progress.total === 1 ? "" : "s"}${tail}`;
}

/**
 * Follows the one job of `kind` a dialog started: the first running event of that kind claims
 * it, then only that job's events count. Returns the job to keep.
 */
export function followJob(current: JobProgress | null, event: JobProgress, kind: string): JobProgress | null {
  if (current === null) return event.kind === kind && event.state === "Running" ? event : null;
  return event.id === current.id ? event : current;
}

/** The folder plan, counted for the preview. */
export function folderCounts(plan: FolderPlan): {
  audio: number;
  artwork: number;
  unmatched: number;
  ignored: number;
  problems: number;
} {
  return {
    audio: plan.matched.filter((f) => f.kind === "audio").length,
    artwork: plan.matched.filter((f) => f.kind === "artwork").length,
    unmatched: plan.unmatched.length,
    ignored: plan.ignored.length,
    problems: plan.problems.length,
  };
}

/** A file dialog's filters for an export format. */
export function exportFilter(format: ExportFormat | "pdf"): { name: string; extensions: string[] } {
  switch (format) {
    case "csv":
      return { name: "CSV", extensions: ["csv"] };
    case "xlsx":
      return { name: "Excel workbook", extensions: ["xlsx"] };
    case "pdf":
      return { name: "PDF", extensions: ["pdf"] };
  }
}

/** `path` ending in `.ext` (added when the user typed a name without it). */
export function withExtension(path: string, ext: string): string {
  return path.toLowerCase().endsWith(`.${ext}`) ? path : `${path}.${ext}`;
}

/** The scopes the export dialog offers. */
export type ExportChoice = "all" | "label" | "release";

/** A file name that says what is in it: `catalog-label-copy.xlsx`, `NLR001-split-sheet.pdf`. */
export function suggestedFileName(
  what: { layout: ExportLayout; format: ExportFormat } | { pdf: PdfKind },
  scopeName: string,
): string {
  const base =
    scopeName
      .trim()
      .replace(/[^\p{L}\p{N}._-]+/gu, "-")
      .replace(/^-+|-+$/g, "") || "catalog";
  if ("pdf" in what) return `${base}-${what.pdf === "label_copy" ? "label-copy" : "split-sheet"}.pdf`;
  const layout = what.layout === "label_copy" ? "-label-copy" : "";
  return `${base}${layout}.${what.format}`;
}

/** What the core exports for the scope chosen in the dialog; nothing when that scope has no release or label. */
export function exportScope(choice: ExportChoice, openReleaseId: number | null, labelId: number | null): ExportScope {
  switch (choice) {
    case "all":
      return { kind: "all" };
    case "label":
      return labelId === null ? { kind: "releases", ids: [] } : { kind: "label", id: labelId };
    case "release":
      return { kind: "releases", ids: openReleaseId === null ? [] : [openReleaseId] };
  }
}

/**
 * A saved mapping applied to this file's headers, as the core will read it: a header the
 * saved mapping names gets its target, any other header is ignored.
 */
export function applySavedMapping(current: ColumnMapping, saved: ColumnMapping): ColumnMapping {
  const columns: Record<string, string | null> = {};
  for (const header of Object.keys(current.columns)) {
    columns[header] = Object.hasOwn(saved.columns, header) ? (saved.columns[header] ?? null) : null;
  }
  return { ...(saved.layout === undefined ? {} : { layout: saved.layout }), columns };
}

/** Headers of this file the saved mapping does not name (they will be ignored). */
export function unknownToSaved(current: ColumnMapping, saved: ColumnMapping): string[] {
  return Object.keys(current.columns).filter((h) => !Object.hasOwn(saved.columns, h));
}
