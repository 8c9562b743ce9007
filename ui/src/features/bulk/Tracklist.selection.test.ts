import { afterEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import type { TrackSummary } from "../../lib/ipc/client";

vi.mock("../../lib/ipc/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc/client")>();
  return {
    IpcFailure: real.IpcFailure,
    toFailure: real.toFailure,
    isIpcFailure: real.isIpcFailure,
    api: {
      listLabels: vi.fn(() => Promise.resolve([])),
      fieldOptions: vi.fn(() => new Promise(() => {})),
      rightsVocabulary: vi.fn(() => new Promise(() => {})),
      previewBulkEdit: vi.fn(),
    },
  };
});
vi.mock("../../components/ui/toaster.svelte", () => ({ toaster: { push: vi.fn() } }));
vi.mock("../catalog/changes", () => ({ onCatalogChanged: () => () => {}, concerns: () => false }));

const { default: Tracklist } = await import("../releases/Tracklist.svelte");

function track(n: number): TrackSummary {
  return {
    id: 100 + n,
    releaseId: 1,
    discNumber: 1,
    trackNumber: n,
    isrc: null,
    title: `Song ${n}`,
    version: null,
    displayArtist: "A",
    durationMs: 200_000,
    explicit: false,
  };
}

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
});

function boxes(): HTMLInputElement[] {
  return [...document.querySelectorAll<HTMLInputElement>('[data-testid="track-check"]')];
}

describe("Tracklist selection", () => {
  it("checks tracks with click and shift-click without opening them, then opens the bulk editor", () => {
    const onopen = vi.fn();
    app = mount(Tracklist, { target: document.body, props: { tracks: [1, 2, 3, 4].map(track), onopen } });
    flushSync();
    boxes()[0]?.click();
    flushSync();
    boxes()[2]?.dispatchEvent(new MouseEvent("click", { bubbles: true, shiftKey: true }));
    flushSync();
    expect(onopen).not.toHaveBeenCalled();
    expect(boxes().map((b) => b.checked)).toEqual([true, true, true, false]);
    expect(document.querySelector('[data-testid="track-selection"]')?.textContent).toContain("3 selected");

    document.querySelector<HTMLButtonElement>('[data-testid="track-bulk-edit"]')?.click();
    flushSync();
    expect(document.querySelector('[data-testid="bulk-edit-dialog"] h2')?.textContent).toBe("Edit 3 tracks");
    // Release-only operations are not offered for tracks.
    const ops = [...document.querySelectorAll<HTMLOptionElement>('[data-testid="bulk-op"] option')].map((o) => o.value);
    expect(ops).toEqual(["setTrackField", "addContributor", "removeContributor"]);

    document.querySelector<HTMLInputElement>('[data-testid="track-check-all"]')?.click();
    flushSync();
    expect(boxes().every((b) => b.checked)).toBe(true);
  });
});
