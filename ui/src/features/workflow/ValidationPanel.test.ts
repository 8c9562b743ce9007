import { afterEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import type { RuleDoc, TrackSummary, ValidationFinding, ValidationReport } from "../../lib/ipc/client";

const validate = vi.fn<(releaseId: number, profileId: string) => Promise<ValidationReport>>();
const autofix = vi.fn<(releaseId: number, finding: ValidationFinding) => Promise<void>>();
const rules: RuleDoc[] = [
  { id: "ID-UPC-CHECK", family: "identifiers", severity: "error", source: "S1 GS1", source_date: "2026-01-01", description: "UPC check digit" },
  { id: "STYLE-FEAT-FORMAT", family: "style", severity: "error", source: "S41 Apple", source_date: "2026-01-01", description: "feat. spelling" },
];

vi.mock("../../lib/ipc/client", () => ({
  api: {
    validateRelease: validate,
    applyAutofix: autofix,
    validationProfiles: () => Promise.resolve([["generic", "Generic"], ["spotify", "Spotify"]]),
    validationRules: () => Promise.resolve(rules),
  },
}));
vi.mock("../../lib/errors", () => ({ reportError: vi.fn() }));
vi.mock("../catalog/changes", () => ({ onCatalogChanged: () => () => {}, concerns: () => false }));

// jsdom lays nothing out.
Element.prototype.scrollIntoView = vi.fn();

const { default: ValidationPanel } = await import("./ValidationPanel.svelte");

const findings: ValidationFinding[] = [
  { rule_id: "STYLE-FEAT-FORMAT", severity: "error", message: "write feat.", field: "track[2].title", value: "A ft. B", fix_hint: "", autofix: { field: "track:8.title", new_value: "A (feat. B)", also: [] } },
  { rule_id: "ID-UPC-CHECK", severity: "warning", message: "check digit", field: "release.upc", value: "1", fix_hint: "retype it", autofix: null },
];
const report: ValidationReport = { release_id: 1, title: "T", profile: "generic", findings, errors: 1, warnings: 1 };
const tracks = [{ id: 7 }, { id: 8 }] as TrackSummary[];

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

async function settle() {
  for (let i = 0; i < 6; i++) await Promise.resolve();
  flushSync();
}

describe("ValidationPanel", () => {
  it("groups by severity, goes to the field, fixes in one click and shows the rule's doc", async () => {
    validate.mockResolvedValue(report);
    autofix.mockResolvedValue(undefined);
    const onopentrack = vi.fn<(id: number) => void>();
    const onfindings = vi.fn<(f: ValidationFinding[]) => void>();
    const target = document.body.appendChild(document.createElement("div"));
    const upc = document.body.appendChild(document.createElement("input"));
    upc.dataset.testid = "release-upc";
    app = mount(ValidationPanel, {
      target,
      props: { releaseId: 1, tracks, onopentrack, onopenrights: vi.fn(), onfindings },
    });
    await settle();
    expect(validate).toHaveBeenCalledWith(1, "generic");
    expect(onfindings).toHaveBeenCalledWith(findings);
    const headings = [...target.querySelectorAll("h4")].map((h) => h.textContent.trim());
    expect(headings).toEqual(["errors (1)", "warnings (1)"]);

    const [trackLink, upcLink] = target.querySelectorAll<HTMLButtonElement>("button.field");
    trackLink?.click();
    expect(onopentrack).toHaveBeenCalledWith(8);
    upcLink?.click();
    expect(document.activeElement).toBe(upc);

    const fix = target.querySelectorAll<HTMLButtonElement>('[data-testid="autofix"]');
    expect(fix).toHaveLength(1);
    fix[0]?.click();
    await settle();
    expect(autofix).toHaveBeenCalledWith(1, findings[0]);
    expect(validate).toHaveBeenCalledTimes(2);

    target.querySelector<HTMLButtonElement>("button.rule")?.click();
    await settle();
    const docs = document.querySelectorAll('[data-testid="rule-doc"]');
    expect(docs[0]?.textContent).toContain("STYLE-FEAT-FORMAT");
    expect(docs[0]?.classList.contains("focused")).toBe(true);
    expect(docs[0]?.textContent).toContain("S41 Apple");
  });

  it("keeps the focus of the last click and waits for nothing once closed", async () => {
    vi.useFakeTimers();
    try {
      validate.mockResolvedValue(report);
      const target = document.body.appendChild(document.createElement("div"));
      const upc = document.body.appendChild(document.createElement("input"));
      upc.dataset.testid = "release-upc";
      app = mount(ValidationPanel, {
        target,
        props: { releaseId: 1, tracks, onopentrack: vi.fn(), onopenrights: vi.fn() },
      });
      await settle();
      const [trackLink, upcLink] = target.querySelectorAll<HTMLButtonElement>("button.field");
      // The track editor has not opened yet, so the panel waits for the track's title field...
      trackLink?.click();
      // ...but the user moves on to the UPC before it appears.
      upcLink?.click();
      expect(document.activeElement).toBe(upc);
      const trackTitle = document.body.appendChild(document.createElement("input"));
      trackTitle.dataset.testid = "track-title";
      vi.advanceTimersByTime(1000);
      expect(document.activeElement).toBe(upc);

      trackTitle.remove();
      trackLink?.click();
      expect(vi.getTimerCount()).toBe(1);
      void unmount(app);
      app = null;
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
