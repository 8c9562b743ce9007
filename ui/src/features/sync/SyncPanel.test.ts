import { afterEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import type { ReleaseSync, RemoteStore, RevelatorAccount, SyncAction } from "../../lib/ipc/client";

const releaseSync = vi.fn<(releaseId: number) => Promise<ReleaseSync>>();
const releaseSyncAction = vi.fn<(releaseId: number, action: SyncAction, stores: string[]) => Promise<ReleaseSync>>();
const deliveryStores = vi.fn<() => Promise<RemoteStore[]>>();
const revelatorLogin = vi.fn<(baseUrl: string | null, user: string, key: string) => Promise<RevelatorAccount>>();

vi.mock("../../lib/ipc/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc/client")>();
  return {
    IpcFailure: real.IpcFailure,
    toFailure: real.toFailure,
    api: {
      releaseSync,
      releaseSyncAction,
      deliveryStores,
      refreshDeliveryStatus: vi.fn(),
      revelatorAccount: vi.fn(() => new Promise(() => {})),
      revelatorLogin,
      revelatorLogout: vi.fn(),
    },
  };
});
vi.mock("../../lib/errors", () => ({ reportError: vi.fn() }));
vi.mock("../../components/ui/toaster.svelte", () => ({ toaster: { push: vi.fn() } }));
vi.mock("../catalog/changes", () => ({ onCatalogChanged: () => () => {}, concerns: () => false }));

const { default: SyncPanel } = await import("./SyncPanel.svelte");
const { default: RevelatorAccountDialog } = await import("./RevelatorAccountDialog.svelte");
const { syncStore } = await import("./syncStore.svelte");
const { IpcFailure } = await import("../../lib/ipc/client");

const account: RevelatorAccount = { baseUrl: "http://127.0.0.1:8787", partnerUserId: "demo", hasKey: true };

function view(over: Partial<ReleaseSync> = {}): ReleaseSync {
  return {
    releaseId: 1,
    state: "synced",
    backend: "revelator",
    remoteId: "9001",
    error: null,
    pending: [],
    stores: [],
    remoteFindings: [],
    redelivery: null,
    syncedAt: null,
    ...over,
  };
}

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  syncStore.account = null;
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
function qi(testId: string): HTMLInputElement | null {
  return document.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`);
}

describe("SyncPanel", () => {
  it("shows a failure's raw remote error and retries it", async () => {
    const error = "HTTP 422 from POST /content/release/save\n{\"errors\":[{\"field\":\"upc\"}]}";
    releaseSync.mockResolvedValue(view({ state: "failed", error, pending: [{ op: "save", stores: [], attempts: 1, nextAttemptAt: null, lastError: error }] }));
    releaseSyncAction.mockResolvedValue(view({ state: "pending" }));
    app = mount(SyncPanel, { target: document.body, props: { releaseId: 1 } });
    await settle();
    expect(q("sync-state")?.textContent).toBe("Failed");
    expect(q("sync-error")?.textContent).toBe(error);
    expect(q("sync-pending")?.textContent).toContain("1 attempt, waits for you");
    qb("sync-retry")?.click();
    await settle();
    expect(releaseSyncAction).toHaveBeenCalledWith(1, "retry", []);
    expect(q("sync-state")?.textContent).toBe("Pending");
  });

  it("resolves a conflict by keeping the local version", async () => {
    releaseSync.mockResolvedValue(view({ state: "conflict" }));
    releaseSyncAction.mockResolvedValue(view({ state: "pending" }));
    syncStore.account = account;
    deliveryStores.mockResolvedValue([]);
    app = mount(SyncPanel, { target: document.body, props: { releaseId: 1 } });
    await settle();
    expect(q("sync-deliver")).toBeNull();
    qb("sync-keep-local")?.click();
    await settle();
    expect(releaseSyncAction).toHaveBeenCalledWith(1, "keepLocal", []);
  });

  it("delivers to the picked stores only with an account", async () => {
    releaseSync.mockResolvedValue(view());
    deliveryStores.mockResolvedValue([
      { id: "spotify", name: "Spotify" },
      { id: "deezer", name: "Deezer" },
    ]);
    releaseSyncAction.mockResolvedValue(view({ state: "pending" }));
    app = mount(SyncPanel, { target: document.body, props: { releaseId: 1 } });
    await settle();
    expect(q("sync-store-picker")).toBeNull();
    expect(deliveryStores).not.toHaveBeenCalled();

    syncStore.account = account;
    await settle();
    const boxes = [...document.querySelectorAll<HTMLInputElement>('[data-testid="sync-store-picker"] input')];
    expect(boxes).toHaveLength(2);
    expect(qb("sync-deliver")?.disabled).toBe(true);
    boxes[1]?.click();
    await settle();
    expect(q("sync-deliver")?.textContent.trim()).toBe("Deliver to Deezer");
    qb("sync-deliver")?.click();
    await settle();
    expect(releaseSyncAction).toHaveBeenCalledWith(1, "deliver", ["deezer"]);
  });

  it("lists the locked edits of a redelivery plan before confirming it", async () => {
    const locked = { storeId: "spotify", storeName: "Spotify", state: "locked" as const, statusText: "In review", error: null, liveUrl: null, rawStatus: 2 };
    releaseSync.mockResolvedValue(
      view({ redelivery: { lockedStores: [locked], edits: [{ trackId: 7, title: "Night Drive", fields: ["title", "isrc"] }] }, stores: [locked] }),
    );
    releaseSyncAction.mockResolvedValue(view({ state: "pending" }));
    app = mount(SyncPanel, { target: document.body, props: { releaseId: 1 } });
    await settle();
    const plan = q("sync-redelivery")?.textContent ?? "";
    expect(plan).toContain("Spotify");
    expect(plan).toContain("Night Drive");
    expect(plan).toContain("title, isrc");
    expect(q("sync-stores")?.textContent).toContain("In review");
    qb("sync-confirm-redelivery")?.click();
    await settle();
    expect(releaseSyncAction).toHaveBeenCalledWith(1, "confirmRedelivery", []);
  });
});

describe("RevelatorAccountDialog", () => {
  it("shows a refused login by its code and never keeps the key", async () => {
    revelatorLogin.mockRejectedValue(new IpcFailure("Unauthorized", "401 Unauthorized: invalid partner key"));
    app = mount(RevelatorAccountDialog, { target: document.body, props: { open: true, onclose: () => {} } });
    await settle();
    const set = (id: string, value: string) => {
      const input = qi(id);
      if (!input) throw new Error(`no ${id}`);
      input.value = value;
      input.dispatchEvent(new Event("input"));
    };
    qb("revelator-use-demo")?.click();
    set("revelator-key", "s3cret");
    await settle();
    expect(qi("revelator-base-url")?.value).toBe("http://127.0.0.1:8787");
    qb("revelator-login")?.click();
    await settle();
    expect(revelatorLogin).toHaveBeenCalledWith("http://127.0.0.1:8787", "demo", "s3cret");
    const shown = q("revelator-login-error")?.textContent ?? "";
    expect(shown).toContain("Unauthorized");
    expect(shown).toContain("401 Unauthorized: invalid partner key");
    expect(qi("revelator-key")?.value).toBe("");
    expect(qi("revelator-key")?.type).toBe("password");
  });
});
