// Pure logic of the territory matrix: cell states for a date, selections, and the bulk
// commands ("Worldwide except JP, DE for tracks 3–7") turned into rule edits.
import type { ReleaseRights, Rule, RuleKind, Use, Window } from "../../lib/ipc/client";

/** What a cell shows on the "as of" date. */
export type CellState = "available" | "preorder" | "scheduled" | "ended" | "unavailable";

/** `cell` indexes `windows` from 1; 0 is never available. Dates are ISO `YYYY-MM-DD`. */
export function cellState(cell: number, windows: readonly Window[], date: string): CellState {
  const window = cell > 0 ? windows[cell - 1] : undefined;
  if (!window) return "unavailable";
  if (window.end !== null && date > window.end) return "ended";
  if (window.start !== null && date < window.start) {
    return window.preorder_start !== null && date >= window.preorder_start ? "preorder" : "scheduled";
  }
  return "available";
}

/** One line describing a cell's window, for the status bar. */
export function describeWindow(cell: number, windows: readonly Window[]): string {
  const window = cell > 0 ? windows[cell - 1] : undefined;
  if (!window) return "not available";
  const parts: string[] = [];
  parts.push(window.start === null ? "available" : `from ${window.start}`);
  if (window.end !== null) parts.push(`until ${window.end}`);
  if (window.preorder_start !== null) parts.push(`pre-order from ${window.preorder_start}`);
  return parts.join(", ");
}

/** A rectangle of the grid: rows are 0 for the release, then tracks 1..n; columns index territories. */
export interface Selection {
  row0: number;
  col0: number;
  row1: number;
  col1: number;
}

export function normalize(s: Selection): Selection {
  return {
    row0: Math.min(s.row0, s.row1),
    row1: Math.max(s.row0, s.row1),
    col0: Math.min(s.col0, s.col1),
    col1: Math.max(s.col0, s.col1),
  };
}

export function contains(s: Selection | null, row: number, col: number): boolean {
  if (!s) return false;
  const n = normalize(s);
  return row >= n.row0 && row <= n.row1 && col >= n.col0 && col <= n.col1;
}

/** A bulk change: which rows (0 = release, n = track n) get which rule. */
export interface BulkChange {
  rows: number[];
  rule: Rule;
}

export interface BulkScope {
  store: string | null;
  usage: Use | null;
  start: string | null;
  end: string | null;
}

function scoped(kind: RuleKind, territories: string[], scope: BulkScope): Rule {
  const rule: Rule = { kind, territories, store: scope.store, use: scope.usage };
  if (kind === "include") {
    rule.start = scope.start;
    rule.end = scope.end;
  }
  return rule;
}

/** Rules that make the selected cells available (`include`) or not (`exclude`). */
export function changeForSelection(
  kind: RuleKind,
  selection: Selection,
  columns: readonly string[],
  scope: BulkScope,
): BulkChange {
  const n = normalize(selection);
  const rows: number[] = [];
  for (let r = n.row0; r <= n.row1; r++) rows.push(r);
  return { rows, rule: scoped(kind, columns.slice(n.col0, n.col1 + 1), scope) };
}

export class BulkSyntaxError extends Error {
  override readonly name = "BulkSyntaxError";
}

const RANGE = /^(?:for\s+)?(?:tracks?\s+)(\d+)(?:\s*(?:-|–|—|to)\s*(\d+))?$/i;

function parseRows(text: string, trackCount: number): number[] {
  const rows: number[] = [];
  for (const part of text.split(/\s*(?:,|and)\s*(?=tracks?\b|\d)/i)) {
    const cleaned = part.trim().replace(/^(?:for\s+)?tracks?\s+/i, "tracks ");
    const m = RANGE.exec(cleaned.startsWith("tracks") ? cleaned : `tracks ${cleaned}`);
    if (!m?.[1]) throw new BulkSyntaxError(`"${part.trim()}" is not a track or a range like 3–7`);
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    if (from < 1 || to > trackCount || from > to) {
      throw new BulkSyntaxError(`tracks ${from}–${to} are not on this release (it has ${trackCount})`);
    }
    for (let t = from; t <= to; t++) if (!rows.includes(t)) rows.push(t);
  }
  return rows;
}

function splitTerritories(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter((t) => t !== "" && t.toLowerCase() !== "and");
}

/**
 * Parses a bulk command as label managers say it:
 * - `Worldwide except JP, DE, AT for tracks 3–7`
 * - `exclude JP, KR for track 2`
 * - `include EU` (release-wide)
 * Returns the rules to add, in order: an include then its exceptions.
 */
export function parseBulkCommand(text: string, trackCount: number, scope: BulkScope): BulkChange[] {
  let rest = text.trim();
  if (rest === "") throw new BulkSyntaxError("type what to change, e.g. “Worldwide except JP, DE for tracks 3–7”");
  let rows = [0];
  const forTracks = /\s+for\s+(tracks?\s+.+)$/i.exec(rest);
  if (forTracks?.[1]) {
    rows = parseRows(forTracks[1], trackCount);
    rest = rest.slice(0, forTracks.index).trim();
  }
  let kind: RuleKind = "include";
  const verb = /^(include|exclude|only)\s+/i.exec(rest);
  if (verb?.[1]) {
    kind = verb[1].toLowerCase() === "exclude" ? "exclude" : "include";
    rest = rest.slice(verb[0].length);
  }
  const [main = "", except] = rest.split(/\s+except\s+/i);
  const included = splitTerritories(main);
  if (included.length === 0) throw new BulkSyntaxError("name territories, groups or Worldwide");
  const changes: BulkChange[] = [{ rows, rule: scoped(kind, included, scope) }];
  if (except !== undefined) {
    if (kind === "exclude") throw new BulkSyntaxError("“exclude … except …” is ambiguous: say what to include");
    const excluded = splitTerritories(except);
    if (excluded.length === 0) throw new BulkSyntaxError("name the territories after “except”");
    changes.push({ rows, rule: scoped("exclude", excluded, { ...scope, start: null, end: null }) });
  }
  return changes;
}

/** Applies bulk changes to a copy of the rules; row n>0 is the track at position n. */
export function applyBulk(rights: ReleaseRights, changes: readonly BulkChange[]): ReleaseRights {
  const next: ReleaseRights = {
    tracks: [...rights.tracks],
    release: [...(rights.release ?? [])],
    track_rules: (rights.track_rules ?? []).map((t) => ({ track: t.track, rules: [...t.rules] })),
  };
  const trackRules = next.track_rules ?? [];
  for (const change of changes) {
    for (const row of change.rows) {
      if (row === 0) {
        next.release?.push(change.rule);
        continue;
      }
      const key = next.tracks[row - 1];
      if (key === undefined) continue;
      let entry = trackRules.find((t) => t.track === key);
      if (!entry) {
        entry = { track: key, rules: [] };
        trackRules.push(entry);
      }
      entry.rules.push(change.rule);
    }
  }
  next.track_rules = trackRules;
  return next;
}

/** “exclude JP, DE on spotify for downloads from 2027-01-01” */
export function describeRule(rule: Rule): string {
  const parts = [`${rule.kind} ${rule.territories.join(", ")}`];
  parts.push(rule.store ? `on ${rule.store}` : "on all stores");
  if (rule.use) parts.push(`for ${rule.use.replace(/_/g, " ")}`);
  if (rule.preorder_start) parts.push(`pre-order ${rule.preorder_start}`);
  if (rule.start) parts.push(`from ${rule.start}`);
  if (rule.end) parts.push(`until ${rule.end}`);
  return parts.join(" ");
}
