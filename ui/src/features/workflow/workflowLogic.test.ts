import { describe, expect, it } from "vitest";
import type { AuditEntry, ValidationFinding } from "../../lib/ipc/client";
import {
  auditFieldLabel,
  fieldTestId,
  findingTarget,
  groupByChange,
  groupBySeverity,
  inlineHint,
  releaseFieldFindings,
  transitionVerb,
} from "./workflowLogic";

const finding = (field: string, severity: ValidationFinding["severity"], message = "m"): ValidationFinding => ({
  rule_id: "R",
  severity,
  message,
  field,
  value: "",
  fix_hint: "",
  autofix: null,
});

const entry = (id: number, changeId: number, field: string, trackId: number | null = null): AuditEntry => ({
  id,
  changeId,
  at: "2026-01-01T10:00:00.000Z",
  actor: "Ana",
  releaseId: trackId === null ? 1 : null,
  trackId,
  field,
  before: null,
  after: "x",
});

describe("findings", () => {
  it("group by severity, errors first, without empty groups", () => {
    const groups = groupBySeverity([finding("release.upc", "info"), finding("release.title", "error")]);
    expect(groups.map((g) => g.severity)).toEqual(["error", "info"]);
  });

  it("point at release fields, track fields by position, or nowhere", () => {
    expect(findingTarget("release.upc")).toEqual({ kind: "release", field: "upc" });
    expect(findingTarget("track[12].isrc")).toEqual({ kind: "track", position: 12, field: "isrc" });
    expect(findingTarget("release")).toEqual({ kind: "none" });
    expect(fieldTestId(findingTarget("release.upc"))).toBe("release-upc");
    expect(fieldTestId(findingTarget("track[2].title"))).toBe("track-title");
    expect(fieldTestId(findingTarget("release.artists"))).toBe("release-artists");
    expect(fieldTestId(findingTarget("release"))).toBeNull();
  });

  it("show the worst finding inline under its release field", () => {
    const byField = releaseFieldFindings([
      finding("release.title", "warning", "trailing space"),
      finding("release.title", "error", "title has a URL"),
      finding("track[1].title", "error"),
    ]);
    expect(Object.keys(byField)).toEqual(["title"]);
    expect(inlineHint(byField.title)).toBe("⛔ title has a URL (+1 more)");
    expect(inlineHint(undefined)).toBeUndefined();
    expect(inlineHint([])).toBeUndefined();
  });
});

describe("workflow words", () => {
  it("name each move from where the release is", () => {
    expect(transitionVerb("Draft", "InReview")).toBe("Submit for review");
    expect(transitionVerb("InReview", "Draft")).toBe("Withdraw");
    expect(transitionVerb("Queued", "Approved")).toBe("Unqueue");
    expect(transitionVerb("Live", "Queued")).toBe("Redeliver");
  });

  it("label audit fields and keep one change together", () => {
    expect(auditFieldLabel(entry(1, 1, "check:cover_clean"))).toBe("checklist: cover clean");
    expect(auditFieldLabel(entry(1, 1, "localized_title:ja"))).toBe("title (ja)");
    expect(auditFieldLabel(entry(1, 1, "audio_language", 7))).toBe("track 7: audio language");
    const groups = groupByChange([entry(3, 9, "a"), entry(2, 9, "b"), entry(1, 8, "c")]);
    expect(groups.map((g) => g.map((e) => e.id))).toEqual([[3, 2], [1]]);
  });
});
