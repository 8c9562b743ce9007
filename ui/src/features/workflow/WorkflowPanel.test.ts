import { afterEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import type { Checklist, WorkflowState, WorkflowStatus, WorkflowTransition } from "../../lib/ipc/client";

const workflowState = vi.fn<(releaseId: number) => Promise<WorkflowState>>();
const transition =
  vi.fn<(releaseId: number, to: WorkflowStatus, reason: string | null, store: string | null) => Promise<WorkflowTransition>>();
const setCheck = vi.fn<(releaseId: number, item: string, checked: boolean) => Promise<Checklist>>();

vi.mock("../../lib/ipc/client", () => ({
  api: {
    workflowState,
    transitionRelease: transition,
    setCheck,
    auditLog: vi.fn(),
    changesSince: vi.fn(),
    getUserName: () => Promise.resolve("Ana"),
    setUserName: vi.fn(),
  },
}));
vi.mock("../../lib/errors", () => ({ reportError: vi.fn() }));
vi.mock("../catalog/changes", () => ({ onCatalogChanged: () => () => {}, concerns: () => false }));

const { default: WorkflowPanel } = await import("./WorkflowPanel.svelte");

const checklist: Checklist = {
  releaseId: 1,
  profile: "generic",
  complete: false,
  items: [
    { id: "validation", label: "Validation passes", help: "", automatic: true, done: true, checkedBy: null, checkedAt: null, stale: false, detail: "0 errors, 1 warning" },
    { id: "cover_clean", label: "No logos", help: "", automatic: false, done: true, checkedBy: "Ana", checkedAt: "2026-03-01T10:05:00.000Z", stale: true, detail: null },
    { id: "cover_text_matches", label: "Cover text", help: "", automatic: false, done: false, checkedBy: null, checkedAt: null, stale: false, detail: null },
  ],
};

const inReview: WorkflowState = {
  releaseId: 1,
  status: "InReview",
  next: ["Approved", "Rejected", "Draft"],
  needsReason: ["Rejected"],
  history: [{ id: 1, releaseId: 1, from: "Draft", to: "InReview", actor: "Rita", reason: null, store: null, at: "2026-03-01T10:00:00.000Z" }],
  checklist,
  changesSinceApproval: null,
};

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

describe("WorkflowPanel", () => {
  it("offers the allowed moves, asks a rejection's reason, and ticks items by name", async () => {
    workflowState.mockResolvedValue(inReview);
    transition.mockResolvedValue({ id: 2, releaseId: 1, from: "InReview", to: "Rejected", actor: "Ana", reason: "URL", store: null, at: "" });
    setCheck.mockResolvedValue({ ...checklist, complete: true });
    const target = document.body.appendChild(document.createElement("div"));
    app = mount(WorkflowPanel, { target, props: { releaseId: 1 } });
    await settle();

    expect(target.querySelector('[data-testid="workflow-status"]')?.textContent).toBe("In review");
    expect(target.textContent).toContain("Acting as Ana");
    const buttons = [...target.querySelectorAll<HTMLButtonElement>(".actions button")].map((b) => b.textContent.trim());
    expect(buttons).toEqual(["Approve", "Reject", "Withdraw"]);
    expect(target.textContent).toContain("Ana, 2026-03-01 10:05");
    expect(target.textContent).toContain("changed since — look again");
    expect(target.querySelector<HTMLInputElement>('[data-testid="check-validation"]')?.disabled).toBe(true);

    target.querySelector<HTMLButtonElement>('[data-testid="workflow-Rejected"]')?.click();
    flushSync();
    expect(transition).not.toHaveBeenCalled();
    const submit = target.querySelector<HTMLButtonElement>('.reason button[type="submit"]');
    expect(submit?.disabled).toBe(true);
    const reason = target.querySelector<HTMLInputElement>('[data-testid="workflow-reason"]');
    if (!reason) throw new Error("no reason input");
    reason.value = "URL";
    reason.dispatchEvent(new Event("input"));
    flushSync();
    submit?.click();
    await settle();
    expect(transition).toHaveBeenCalledWith(1, "Rejected", "URL", null);

    const box = target.querySelector<HTMLInputElement>('[data-testid="check-cover_text_matches"]');
    if (!box) throw new Error("no checkbox");
    box.checked = true;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    await settle();
    expect(setCheck).toHaveBeenCalledWith(1, "cover_text_matches", true);
  });
});
