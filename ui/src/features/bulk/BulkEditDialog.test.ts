import { afterEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import type { BulkApplied, BulkEdit, BulkPreview, BulkTargets, BulkUndo } from "../../lib/ipc/client";

const previewBulkEdit = vi.fn<(targets: BulkTargets, edit: BulkEdit) => Promise<BulkPreview>>();
const applyBulkEdit = vi.fn<(targets: BulkTargets, edit: BulkEdit) => Promise<BulkApplied>>();
const undoBulkEdit = vi.fn<(undo: BulkUndo) => Promise<BulkPreview>>();

vi.mock("../../lib/ipc/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc/client")>();
  return {
    IpcFailure: real.IpcFailure,
    toFailure: real.toFailure,
    api: {
      previewBulkEdit,
      applyBulkEdit,
      undoBulkEdit,
      listLabels: vi.fn(() =>
        Promise.resolve([
          { id: 1, name: "Northern Lights Records", dpid: null, releaseCount: 4 },
          { id: 2, name: "Tidewater Sound", dpid: null, releaseCount: 3 },
        ]),
      ),
      fieldOptions: vi.fn(() =>
        Promise.resolve({
          releaseTypes: [],
          parentalAdvisories: [],
          contributorRoles: ["MainArtist", "Producer"],
          writerRoles: [],
          dspPlatforms: [],
        }),
      ),
      rightsVocabulary: vi.fn(() => Promise.resolve({ territories: [], groups: [{ name: "EU", territories: [] }], stores: [], uses: [] })),
    },
  };
});
vi.mock("../../components/ui/toaster.svelte", () => ({ toaster: { push: vi.fn() } }));

const { default: BulkEditDialog } = await import("./BulkEditDialog.svelte");
const { undoStack } = await import("../../lib/session");
const { IpcFailure } = await import("../../lib/ipc/client");

const targets: BulkTargets = { kind: "releases", ids: [1, 2, 3] };
const item = (id: number, name: string) => ({ kind: "release" as const, id, name });

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  undoStack.clear();
  vi.clearAllMocks();
});

async function settle() {
  for (let i = 0; i < 8; i++) await Promise.resolve();
  flushSync();
}

function q(testId: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
}
function qb(testId: string): HTMLButtonElement | null {
  return document.querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`);
}

function input(testId: string, value: string) {
  const el = document.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-testid="${testId}"]`);
  if (!el) throw new Error(`no ${testId}`);
  el.value = value;
  el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  flushSync();
}

async function previewClick() {
  qb("bulk-preview-button")?.click();
  await settle();
}

describe("BulkEditDialog", () => {
  it("previews before → after, applies the previewed edit and undoes it", async () => {
    app = mount(BulkEditDialog, { target: document.body, props: { open: true, targets, onclose: () => {} } });
    await settle();
    const changes = [
      { item: item(1, "Night Drive"), field: "genre", before: "", after: "Ambient" },
      { item: item(2, "Tidal"), field: "genre", before: "Jazz", after: "Ambient" },
    ];
    previewBulkEdit.mockResolvedValue({ changes, unchanged: [item(3, "Kaleido")], refusals: [] });
    input("bulk-field", "genre");
    input("bulk-value", "Ambient");
    expect(qb("bulk-apply")?.disabled).toBe(true);
    await previewClick();

    expect(previewBulkEdit).toHaveBeenCalledWith(targets, { op: "setReleaseField", field: "genre", value: "Ambient" });
    expect(q("bulk-summary")?.textContent).toBe("2 will change · 1 already so");
    const rows = document.querySelectorAll('[data-testid="bulk-change"]');
    expect(rows).toHaveLength(2);
    expect(rows[1]?.textContent).toContain("Jazz");
    expect(rows[0]?.textContent).toContain("—");

    const undo: BulkUndo = {
      edit: { op: "setReleaseField", field: "genre", value: "Ambient" },
      entries: [{ item: item(1, "Night Drive"), before: "", after: "Ambient" }],
    };
    applyBulkEdit.mockResolvedValue({ preview: { changes, unchanged: [], refusals: [] }, undo });
    qb("bulk-apply")?.click();
    await settle();
    expect(applyBulkEdit).toHaveBeenCalledWith(targets, { op: "setReleaseField", field: "genre", value: "Ambient" });
    expect(q("bulk-applied")?.textContent).toContain("Applied to 2 items");
    expect(undoStack.state().undoLabel).toBe("Set genre on 3 releases");

    undoBulkEdit.mockResolvedValue({ changes: [], unchanged: [], refusals: [] });
    qb("bulk-undo")?.click();
    await settle();
    expect(undoBulkEdit).toHaveBeenCalledWith(undo);
    expect(q("bulk-applied")?.textContent).toContain("Undone");
    expect(undoStack.state().canUndo).toBe(false);
  });

  it("names refused items and does not offer to apply", async () => {
    app = mount(BulkEditDialog, { target: document.body, props: { open: true, targets, onclose: () => {} } });
    await settle();
    previewBulkEdit.mockResolvedValue({
      changes: [{ item: item(2, "Tidal"), field: "territories", before: "no rules (worldwide)", after: "include Worldwide on all stores; exclude JP on all stores" }],
      unchanged: [],
      refusals: [{ item: item(1, "Night Drive"), field: "territories", message: "track 1 includes JP on all stores but the release excludes JP there" }],
    });
    input("bulk-op", "applyTerritoryPreset");
    input("bulk-exclude", "JP");
    await previewClick();
    expect(previewBulkEdit).toHaveBeenCalledWith(targets, { op: "applyTerritoryPreset", include: "", exclude: "JP" });
    const refusal = q("bulk-refusal");
    expect(refusal?.textContent).toContain("Night Drive");
    expect(refusal?.textContent).toContain("excludes JP");
    expect(qb("bulk-apply")?.disabled).toBe(true);
    // Changing the value drops the stale preview.
    input("bulk-include", "EU");
    expect(q("bulk-preview")).toBeNull();
  });

  it("shows the backend's refusal of the whole edit", async () => {
    app = mount(BulkEditDialog, { target: document.body, props: { open: true, targets, onclose: () => {} } });
    await settle();
    previewBulkEdit.mockRejectedValue(new IpcFailure("Invalid", "release_date: \"2024-02-30\": day 30 does not exist in that month", "release_date", "previewBulkEdit"));
    input("bulk-field", "release_date");
    input("bulk-value", "2024-02-30");
    await previewClick();
    expect(q("bulk-error")?.textContent).toContain("day 30 does not exist");
    expect(qb("bulk-apply")?.disabled).toBe(true);
  });
});
