import { afterEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import type { ExportFormat, ExportLayout, ExportScope, ExportSummary, JobProgress, PdfKind, PdfSummary } from "../../lib/ipc/client";

const exportCatalog =
  vi.fn<(format: ExportFormat, layout: ExportLayout, scope: ExportScope, out: string) => Promise<ExportSummary | null>>();
const exportReleasePdf = vi.fn<(kind: PdfKind, releaseId: number, out: string) => Promise<PdfSummary>>();
const cancelJob = vi.fn<(id: number) => Promise<boolean>>();
const pickExportPath = vi.fn<(title: string, defaultPath: string, filter: { name: string; extensions: string[] }) => Promise<string | null>>();
let jobListener: ((p: JobProgress) => void) | null = null;

vi.mock("../../lib/ipc/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc/client")>();
  return {
    IpcFailure: real.IpcFailure,
    toFailure: real.toFailure,
    pickExportPath,
    subscribeToJobs: (cb: (p: JobProgress) => void) => {
      jobListener = cb;
      return () => {
        jobListener = null;
      };
    },
    api: { exportCatalog, exportReleasePdf, cancelJob },
  };
});
vi.mock("../../lib/errors", () => ({ reportError: vi.fn() }));
const push = vi.fn();
vi.mock("../../components/ui/toaster.svelte", () => ({ toaster: { push } }));
const release = { id: 3, title: "Night Lines", catalogNumber: "NLR001" };
vi.mock("../releases/releaseStore.svelte", () => ({ releaseStore: { id: 3, detail: { release } } }));
vi.mock("../catalog/catalogStore.svelte", () => ({
  catalog: { labelId: null, name: "catalog.sqlite", labelName: () => "" },
}));

const { default: ExportDialog } = await import("./ExportDialog.svelte");

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
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

describe("ExportDialog", () => {
  it("exports the open release as a label copy with progress and cancel", async () => {
    app = mount(ExportDialog, { target: document.body, props: { open: true, onclose: () => {} } });
    await settle();
    const layout = document.querySelector<HTMLSelectElement>('[data-testid="export-layout"]');
    if (!layout) throw new Error("no layout select");
    layout.value = "label_copy";
    layout.dispatchEvent(new Event("change", { bubbles: true }));
    q("export-scope-release")?.click();
    await settle();

    pickExportPath.mockResolvedValue("/tmp/out");
    let finish: (s: ExportSummary | null) => void = () => {};
    exportCatalog.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    qb("export-run")?.click();
    await settle();
    expect(pickExportPath.mock.calls[0]?.[1]).toBe("NLR001-label-copy.xlsx");
    expect(exportCatalog).toHaveBeenCalledWith("xlsx", "label_copy", { kind: "releases", ids: [3] }, "/tmp/out.xlsx");

    jobListener?.({ id: 5, kind: "export", releaseId: null, done: 0, total: 1, message: "", state: "Running" });
    await settle();
    cancelJob.mockResolvedValue(true);
    qb("export-cancel")?.click();
    await settle();
    expect(cancelJob).toHaveBeenCalledWith(5);
    finish(null);
    await settle();
    expect(q("export-result")?.textContent).toContain("No file was written");
  });

  it("writes the open release's split sheet as PDF and says which characters no font has", async () => {
    app = mount(ExportDialog, { target: document.body, props: { open: true, onclose: () => {} } });
    await settle();
    pickExportPath.mockResolvedValue("/tmp/split");
    exportReleasePdf.mockResolvedValue({ release_id: 3, pages: 2, fonts: ["DejaVuSans.ttf"], missing_characters: "夜" });
    qb("export-pdf-split-sheet")?.click();
    await settle();
    expect(exportReleasePdf).toHaveBeenCalledWith("split_sheet", 3, "/tmp/split.pdf");
    const toast = push.mock.calls[0]?.[0] as { tone: string; title: string; message: string } | undefined;
    expect(toast?.tone).toBe("warning");
    expect(toast?.title).toBe("Split sheet written (2 pages)");
    expect(toast?.message).toContain("夜");
  });
});
