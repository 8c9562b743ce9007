// Pure helpers of the validation panel, the workflow panel and the review queue: findings by
// severity, where a finding's field is in the editors, and the workflow's words.
import type { AuditEntry, ValidationFinding, WorkflowStatus } from "../../lib/ipc/client";

export type ValidationSeverity = ValidationFinding["severity"];
export const VALIDATION_SEVERITIES: readonly ValidationSeverity[] = ["error", "warning", "info"];

export type SeverityGroup = { severity: ValidationSeverity; findings: ValidationFinding[] };

/** Findings grouped by severity, errors first; empty groups left out. */
export function groupBySeverity(findings: readonly ValidationFinding[]): SeverityGroup[] {
  return VALIDATION_SEVERITIES.map((severity) => ({
    severity,
    findings: findings.filter((f) => f.severity === severity),
  })).filter((g) => g.findings.length > 0);
}

/** Where a finding points, parsed from its field path (`release.upc`, `track[3].title`). */
export type FindingTarget =
  | { kind: "release"; field: string }
  | { kind: "track"; position: number; field: string }
  | { kind: "none" };

export function findingTarget(field: string): FindingTarget {
  const track = /^track\[(\d+)\]\.(\w+)$/.exec(field);
  if (track?.[1] !== undefined && track[2] !== undefined) {
    return { kind: "track", position: Number(track[1]), field: track[2] };
  }
  const release = /^release\.(\w+)$/.exec(field);
  if (release?.[1] !== undefined) return { kind: "release", field: release[1] };
  return { kind: "none" };
}

/**
 * The `data-testid` of the editor control that holds a release or track field, or of the
 * section that lists it (artists, tracklist, rights). `null` when nothing in the editor shows it.
 */
export function fieldTestId(target: FindingTarget): string | null {
  if (target.kind === "release") return RELEASE_FIELD_TESTIDS[target.field] ?? null;
  if (target.kind === "track") return TRACK_FIELD_TESTIDS[target.field] ?? null;
  return null;
}

const RELEASE_FIELD_TESTIDS: Record<string, string> = {
  title: "release-title",
  version: "release-version",
  display_artist: "release-display-artist",
  release_type: "release-type",
  label_id: "release-label",
  upc: "release-upc",
  catalog_number: "release-catalog-number",
  p_line: "release-p-line",
  c_line: "release-c-line",
  release_date: "release-date",
  original_release_date: "release-original-date",
  genre: "release-genre",
  subgenre: "release-subgenre",
  parental_advisory: "release-advisory",
  metadata_language: "release-language",
  artists: "release-artists",
  tracks: "release-tracklist",
  rights: "open-rights",
};

const TRACK_FIELD_TESTIDS: Record<string, string> = {
  title: "track-title",
  version: "track-version",
  display_artist: "track-display-artist",
  isrc: "track-isrc",
  duration: "track-duration",
  duration_ms: "track-duration",
  explicit: "track-explicit",
  audio_language: "track-audio-language",
};

/** The findings shown under each release field of the editor, worst first, by field name. */
export function releaseFieldFindings(findings: readonly ValidationFinding[]): Record<string, ValidationFinding[]> {
  const out: Record<string, ValidationFinding[]> = {};
  for (const severity of VALIDATION_SEVERITIES) {
    for (const f of findings) {
      const target = findingTarget(f.field);
      if (f.severity !== severity || target.kind !== "release") continue;
      (out[target.field] ??= []).push(f);
    }
  }
  return out;
}

/** One line for a field's inline hint: the worst finding, and how many more there are. */
export function inlineHint(findings: readonly ValidationFinding[] | undefined): string | undefined {
  if (!findings) return undefined;
  const first = findings[0];
  if (!first) return undefined;
  const mark = first.severity === "error" ? "⛔" : first.severity === "warning" ? "⚠" : "ℹ";
  const more = findings.length > 1 ? ` (+${findings.length - 1} more)` : "";
  return `${mark} ${first.message}${more}`;
}

export const STATUS_LABELS: Record<WorkflowStatus, string> = {
  Draft: "Draft",
  InReview: "In review",
  Approved: "Approved",
  Queued: "Queued",
  Delivered: "Delivered",
  Live: "Live",
  TakenDown: "Taken down",
  Rejected: "Rejected",
};

/** Workflow order, for tabs and counts. */
export const STATUS_ORDER: readonly WorkflowStatus[] = [
  "Draft",
  "InReview",
  "Rejected",
  "Approved",
  "Queued",
  "Delivered",
  "Live",
  "TakenDown",
];

/** What the button that moves a release from `from` to `to` says. */
export function transitionVerb(from: WorkflowStatus, to: WorkflowStatus): string {
  switch (to) {
    case "Draft":
      return from === "InReview" ? "Withdraw" : "Reopen as draft";
    case "InReview":
      return from === "Draft" || from === "Rejected" ? "Submit for review" : "Send back to review";
    case "Approved":
      return from === "Queued" ? "Unqueue" : "Approve";
    case "Queued":
      return from === "Approved" ? "Queue for delivery" : "Redeliver";
    case "Delivered":
      return "Mark delivered";
    case "Live":
      return "Mark live";
    case "TakenDown":
      return "Take down";
    case "Rejected":
      return "Reject";
  }
}

/** Transitions that move a release forward get the primary button; the rest are secondary. */
export function isForward(to: WorkflowStatus): boolean {
  return to === "InReview" || to === "Approved" || to === "Queued" || to === "Delivered" || to === "Live";
}

/** Human wording of an audit-log field (`localized_title:ja`, `check:cover_clean`, `track.title`). */
export function auditFieldLabel(entry: Pick<AuditEntry, "field" | "trackId" | "releaseId">): string {
  const [head, rest] = splitOnce(entry.field, ":");
  const base =
    head === "check"
      ? `checklist: ${humanizeId(rest ?? "")}`
      : head === "localized_title"
        ? `title (${rest ?? ""})`
        : humanizeId(head);
  return entry.trackId !== null && entry.releaseId === null ? `track ${entry.trackId}: ${base}` : base;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + sep.length)];
}

function humanizeId(id: string): string {
  return id.replaceAll("_", " ");
}

/** Entries of the same change (one save) next to each other, newest change first. */
export function groupByChange(entries: readonly AuditEntry[]): AuditEntry[][] {
  const groups: AuditEntry[][] = [];
  for (const e of entries) {
    const last = groups[groups.length - 1];
    if (last?.[0]?.changeId === e.changeId) last.push(e);
    else groups.push([e]);
  }
  return groups;
}

/** A timestamp as the reviewer reads it: `2026-03-01 10:05`. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return "";
  return iso.replace("T", " ").slice(0, 16);
}
