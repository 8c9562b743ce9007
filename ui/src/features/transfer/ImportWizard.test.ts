import { afterEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import type { ColumnMapping, ImportPlan, ImportSummary, JobProgress } from "../../lib/ipc/client";

const proposeMapping = vi.fn<(path: string) => Promise<ColumnMapping>>();
const planImport = vi.fn<(path: string, mapping: ColumnMapping | null) => Promise<ImportPlan>>();
const runImport = vi.fn<(path: string, mapping: ColumnMapping | null) => Promise<ImportSummary | null>>();
const saveMapping = vi.fn<(name: string, mapping: ColumnMapping) => Promise<string[]>>();
const savedMapping = vi.fn<(name: string) => Promise<ColumnMapping>>();
const cancelJob = vi.fn<(id: number) => Promise<boolean>>();
const pickImportFile = vi.fn<(extensions: readonly string[]) => Promise<string | null>>();
let jobListener: ((p: JobProgress) => void) | null = null;

vi.mock("../../lib/ipc/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc/client")>();
  return {
    IpcFailure: real.IpcFailure,
    toFailure: real.toFailure,
    pickImportFile,
    subscribeToJobs: (cb: (p: JobProgress) => void) => {
      jobListener = cb;
      return () => {
        jobListener = null;
      };
    },
    api: {
      importTargets: vi.fn(() => Promise.resolve(["upc", "release_title", "isrc", "track_title", "genre"])),
      savedMappings: vi.fn(() => Promise.resolve(["believe"])),
      savedMapping,
      saveMapping,
      proposeMapping,
      planImport,
      runImport,
      cancelJob,
    },
  };
});
vi.mock("../../lib/errors", () => ({ reportError: vi.fn() }));
vi.mock("../../components/ui/toaster.svelte", () => ({ toaster: { push: vi.fn() } }));

const { default: ImportWizard } = await import("./ImportWizard.svelte");
const { IpcFailure } = await import("../../lib/ipc/client");

const mapping: ColumnMapping = {
  layout: "track_per_row",
  columns: { Album: "release_title", Code: "isrc", Notes: null, UPC: "upc" },
};

function plan(over: Partial<ImportPlan> = {}): ImportPlan {
  return {
    format: "csv",
    sheet: null,
    encoding: "UTF-8",
    delimiter: ",",
    rows: 2,
    mapping,
    releases: [
      {
        row_numbers: [2, 3],
        upc: "5060123459999",
        title: "Night Lines",
        action: { kind: "create" },
        tracks: [
          { row: 2, disc: 1, track: 1, isrc: "GBCTN2690001", title: "First", action: { kind: "create" } },
          { row: 3, disc: 1, track: 2, isrc: "GBCTN2690002", title: "Second", action: { kind: "update", id: 4 } },
        ],
      },
    ],
    problems: [],
    warnings: [],
    notes: [],
    ...over,
  };
}

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  jobListener = null;
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
function targetSelect(header: string): HTMLSelectElement {
  const select = document.querySelector<HTMLSelectElement>(`select[data-header="${header}"]`);
  if (!select) throw new Error(`no select for ${header}`);
  return select;
}
/** The state class of a step in the strip: done, current or todo. */
function stepOf(testId: string): string | undefined {
  return [...(q(testId)?.classList ?? [])].find((c) => ["done", "current", "todo"].includes(c));
}
function choose(select: HTMLSelectElement, value: string) {
  select.value = value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
}

async function openOnMapping() {
  pickImportFile.mockResolvedValue("/tmp/believe.csv");
  proposeMapping.mockResolvedValue(mapping);
  app = mount(ImportWizard, { target: document.body, props: { open: true, onclose: () => {} } });
  await settle();
  expect(stepOf("import-step-file")).toBe("current");
  qb("import-choose-file")?.click();
  await settle();
  expect(proposeMapping).toHaveBeenCalledWith("/tmp/believe.csv");
  expect(stepOf("import-step-mapping")).toBe("current");
}

describe("ImportWizard", () => {
  it("shows the proposed mapping, lets the user change it, and runs the dry run with it", async () => {
    await openOnMapping();
    expect(targetSelect("Code").value).toBe("isrc");
    expect(targetSelect("Notes").value).toBe("");

    // Two columns feeding one target: said under both, and no dry run.
    choose(targetSelect("Notes"), "isrc");
    await settle();
    expect(q("import-mapping")?.textContent).toContain('is also fed by "Code"');
    expect(qb("import-dry-run")?.disabled).toBe(true);

    choose(targetSelect("Notes"), "genre");
    await settle();
    expect(qb("import-dry-run")?.disabled).toBe(false);
    planImport.mockResolvedValue(plan());
    qb("import-dry-run")?.click();
    await settle();
    expect(planImport).toHaveBeenCalledWith("/tmp/believe.csv", { ...mapping, columns: { ...mapping.columns, Notes: "genre" } });
    expect(stepOf("import-step-plan")).toBe("current");
    expect(q("count-releases-new")?.textContent).toBe("1");
    expect(q("count-tracks-new")?.textContent).toBe("1");
    expect(q("count-tracks-matched")?.textContent).toBe("1");
    expect(qb("import-confirm")?.disabled).toBe(false);
  });

  it("lists every problem by row and column and refuses to confirm", async () => {
    await openOnMapping();
    planImport.mockResolvedValue(
      plan({
        problems: [
          { row: 3, column: "upc", message: "UPC has check digit 1, expected 9" },
          { row: 2, column: "", message: "no release title" },
        ],
      }),
    );
    qb("import-dry-run")?.click();
    await settle();
    const items = [...document.querySelectorAll('[data-testid="import-problems"] li')].map((li) => li.textContent);
    expect(items).toEqual(["Row 2 no release title", "Row 3 · UPC UPC has check digit 1, expected 9"]);
    expect(qb("import-confirm")?.disabled).toBe(true);
    expect(runImport).not.toHaveBeenCalled();
  });

  it("saves the mapping by name and loads a saved one onto this file's headers", async () => {
    await openOnMapping();
    const name = document.querySelector<HTMLInputElement>('[data-testid="import-mapping-name"]');
    if (!name) throw new Error("no name input");
    name.value = "my label";
    name.dispatchEvent(new Event("input"));
    await settle();
    expect(qb("import-save-mapping")?.disabled).toBe(true);
    name.value = "my-label";
    name.dispatchEvent(new Event("input"));
    await settle();
    saveMapping.mockResolvedValue(["believe", "my-label"]);
    qb("import-save-mapping")?.click();
    await settle();
    expect(saveMapping).toHaveBeenCalledWith("my-label", mapping);

    savedMapping.mockResolvedValue({ layout: "catno", columns: { UPC: "upc", Album: "release_title", Notes: "genre" } });
    const saved = document.querySelector<HTMLSelectElement>('[data-testid="import-saved-select"]');
    if (!saved) throw new Error("no saved select");
    choose(saved, "believe");
    await settle();
    qb("import-load-mapping")?.click();
    await settle();
    expect(savedMapping).toHaveBeenCalledWith("believe");
    expect(targetSelect("Notes").value).toBe("genre");
    expect(targetSelect("Code").value).toBe("");
    expect(q("import-mapping-note")?.textContent).toContain('"Code"');
  });

  it("runs the import as a job with progress and cancel, then says nothing was imported", async () => {
    await openOnMapping();
    planImport.mockResolvedValue(plan());
    qb("import-dry-run")?.click();
    await settle();
    let finish: (s: ImportSummary | null) => void = () => {};
    runImport.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    qb("import-confirm")?.click();
    await settle();
    expect(stepOf("import-step-running")).toBe("current");
    expect(qb("import-cancel")?.disabled).toBe(true);

    const running: JobProgress = { id: 12, kind: "import", releaseId: null, done: 1, total: 4, message: "Night Lines", state: "Running" };
    jobListener?.({ ...running, id: 11, kind: "qc_release" });
    jobListener?.(running);
    await settle();
    expect(q("import-progress")?.getAttribute("value")).toBe("25");
    expect(q("import-progress-text")?.textContent).toBe("1 of 4 releases · Night Lines");
    cancelJob.mockResolvedValue(true);
    qb("import-cancel")?.click();
    await settle();
    expect(cancelJob).toHaveBeenCalledWith(12);

    finish(null);
    await settle();
    expect(stepOf("import-step-done")).toBe("current");
    expect(q("import-result")?.textContent).toContain("Nothing was imported");
  });

  it("shows the counts of a finished import", async () => {
    await openOnMapping();
    planImport.mockResolvedValue(plan());
    qb("import-dry-run")?.click();
    await settle();
    runImport.mockResolvedValue({ releases_created: 1, releases_updated: 0, tracks_created: 1, tracks_updated: 1, release_ids: [5] });
    qb("import-confirm")?.click();
    await settle();
    expect(stepOf("import-step-done")).toBe("current");
    expect(q("import-result")?.textContent).toContain("1 releases created, 0 updated; 1 tracks created, 1 updated");
  });

  it("shows why an import was refused and goes back to a fresh dry run", async () => {
    await openOnMapping();
    planImport.mockResolvedValue(plan());
    qb("import-dry-run")?.click();
    await settle();
    runImport.mockRejectedValue(new IpcFailure("Invalid", "/tmp/believe.csv: 1 problem(s), nothing imported"));
    qb("import-confirm")?.click();
    await settle();
    expect(q("import-result")?.textContent).toContain("1 problem(s), nothing imported");
    planImport.mockResolvedValue(plan({ problems: [{ row: 2, column: "isrc", message: "changed since" }] }));
    qb("import-back-to-plan")?.click();
    await settle();
    expect(planImport).toHaveBeenCalledTimes(2);
    expect(stepOf("import-step-plan")).toBe("current");
    expect(qb("import-confirm")?.disabled).toBe(true);
  });
});
