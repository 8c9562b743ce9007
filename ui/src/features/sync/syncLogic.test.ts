import { describe, expect, it } from "vitest";
import type { PendingOp, ReleaseSync, RevelatorAccount, StoreDelivery } from "../../lib/ipc/client";
import {
  accountLabel,
  availableActions,
  countStates,
  deliveryBadge,
  demoUrl,
  isDemoUrl,
  isSyncJob,
  loginFailureHint,
  loginFormErrors,
  pendingOpLabel,
  pendingOpStatus,
  storeNames,
  syncBadge,
  syncProgressText,
} from "./syncLogic";

const account: RevelatorAccount = { baseUrl: "https://api.revelator.com", partnerUserId: "label-1", hasKey: true };
const keyless: RevelatorAccount = { ...account, hasKey: false };
const stores = [
  { id: "spotify", name: "Spotify" },
  { id: "deezer", name: "Deezer" },
];
const live: StoreDelivery = {
  storeId: "spotify",
  storeName: "Spotify",
  state: "live",
  statusText: "Live",
  error: null,
  liveUrl: "https://open.spotify.com/album/x",
  rawStatus: 7,
};

function release(over: Partial<ReleaseSync> = {}): ReleaseSync {
  return {
    releaseId: 1,
    state: "synced",
    backend: "revelator",
    remoteId: "123",
    error: null,
    pending: [],
    stores: [],
    remoteFindings: [],
    redelivery: null,
    syncedAt: "2026-03-01T10:00:00Z",
    ...over,
  };
}

function op(over: Partial<PendingOp> = {}): PendingOp {
  return { op: "save", stores: [], attempts: 0, nextAttemptAt: null, lastError: null, ...over };
}

const sorted = (s: Set<string>) => [...s].sort();

describe("badges", () => {
  it("gives each sync state its own label and tone", () => {
    expect(syncBadge("pending")).toMatchObject({ label: "Pending", tone: "accent" });
    expect(syncBadge("synced")).toMatchObject({ label: "Synced", tone: "success" });
    expect(syncBadge("failed")).toMatchObject({ label: "Failed", tone: "danger" });
    expect(syncBadge("conflict")).toMatchObject({ label: "Conflict", tone: "warning" });
  });
  it("labels store delivery states", () => {
    expect(deliveryBadge("live").tone).toBe("success");
    expect(deliveryBadge("locked").label).toBe("Locked");
    expect(deliveryBadge("error").tone).toBe("danger");
    expect(deliveryBadge("inProgress").label).toBe("In progress");
  });
});

describe("availableActions", () => {
  it("offers delivery and refresh to a synced release with a connected account", () => {
    expect(sorted(availableActions(release(), account))).toEqual(["deliver", "refresh"]);
  });
  it("offers takedown only for a release delivered somewhere", () => {
    expect(availableActions(release({ stores: [live] }), account).has("takeDown")).toBe(true);
    expect(availableActions(release({ stores: [live], remoteId: null }), account).has("takeDown")).toBe(false);
  });
  it("needs a key in the keyring for anything that talks to the server", () => {
    const s = release({ stores: [live] });
    expect(sorted(availableActions(s, keyless))).toEqual([]);
    expect(sorted(availableActions(s, null))).toEqual([]);
  });
  it("offers retry for a failed release, even without an account", () => {
    const failed = release({ state: "failed", error: "HTTP 422", pending: [op({ attempts: 1, lastError: "HTTP 422" })] });
    expect(availableActions(failed, null).has("retry")).toBe(true);
    expect(availableActions(release({ pending: [op()] }), account).has("retry")).toBe(false);
  });
  it("offers cancelling only when a delivery or takedown is queued", () => {
    expect(availableActions(release({ pending: [op()] }), account).has("cancelDeliveries")).toBe(false);
    const queued = release({ state: "pending", pending: [op(), op({ op: "deliver", stores: ["spotify"] })] });
    expect(availableActions(queued, account).has("cancelDeliveries")).toBe(true);
  });
  it("holds deliveries back while a conflict waits for a decision", () => {
    const actions = availableActions(release({ state: "conflict" }), account);
    expect(actions.has("keepLocal")).toBe(true);
    expect(actions.has("deliver")).toBe(false);
  });
  it("asks for confirmation of a redelivery plan before delivering anything else", () => {
    const plan = release({ redelivery: { lockedStores: [live], edits: [{ trackId: 4, title: "Intro", fields: ["title"] }] } });
    const actions = availableActions(plan, account);
    expect(actions.has("confirmRedelivery")).toBe(true);
    expect(actions.has("deliver")).toBe(false);
    expect(availableActions(release(), account).has("confirmRedelivery")).toBe(false);
  });
});

describe("pending operations", () => {
  it("names the operation and its stores", () => {
    expect(pendingOpLabel(op(), stores)).toBe("Send local changes");
    expect(pendingOpLabel(op({ op: "deliver", stores: ["spotify", "deezer"] }), stores)).toBe(
      "Deliver to Spotify, Deezer",
    );
    expect(pendingOpLabel(op({ op: "takedown", stores: ["tidal"] }), stores)).toBe("Take down from tidal");
  });
  it("tells attempts and backoff apart from a failure waiting for the user", () => {
    expect(pendingOpStatus(op())).toBe("");
    expect(pendingOpStatus(op({ attempts: 2, nextAttemptAt: "2026-03-01T10:00:08Z" }))).toBe(
      "2 attempts, next after 2026-03-01T10:00:08Z",
    );
    expect(pendingOpStatus(op({ attempts: 1 }))).toBe("1 attempt, waits for you");
  });
  it("falls back to the store id for an unknown store", () => {
    expect(storeNames(["deezer", "x"], stores)).toBe("Deezer, x");
  });
});

describe("sync job", () => {
  it("recognises sync jobs among others", () => {
    expect(isSyncJob({ kind: "sync" })).toBe(true);
    expect(isSyncJob({ kind: "qc_release" })).toBe(false);
  });
  it("describes every state", () => {
    expect(syncProgressText({ done: 0, total: 0, message: "", state: "Running" })).toBe("Syncing…");
    expect(syncProgressText({ done: 2, total: 5, message: "Night Drive", state: "Running" })).toBe(
      "Syncing 2/5 · Night Drive",
    );
    expect(syncProgressText({ done: 5, total: 5, message: "5 releases saved", state: "Succeeded" })).toBe(
      "Sync done: 5 releases saved",
    );
    expect(syncProgressText({ done: 3, total: 5, message: "1 failed, 0 conflicts", state: "Failed" })).toBe(
      "Sync incomplete: 1 failed, 0 conflicts",
    );
    expect(syncProgressText({ done: 3, total: 5, message: "cancelled", state: "Cancelled" })).toContain("cancelled");
  });
  it("counts releases per state", () => {
    const counts = countStates([
      { releaseId: 1, state: "synced", remoteId: "1" },
      { releaseId: 2, state: "failed", remoteId: null },
      { releaseId: 3, state: "synced", remoteId: "3" },
    ]);
    expect(counts).toEqual({ pending: 0, synced: 2, failed: 1, conflict: 0 });
  });
});

describe("account form", () => {
  it("builds and recognises the demo server address", () => {
    expect(demoUrl(8787)).toBe("http://127.0.0.1:8787");
    expect(isDemoUrl("http://127.0.0.1:8787")).toBe(true);
    expect(isDemoUrl("http://localhost:9000/")).toBe(true);
    expect(isDemoUrl("https://api.revelator.com")).toBe(false);
    expect(isDemoUrl("http://127.0.0.1.evil.example")).toBe(false);
  });
  it("requires every field before asking the server", () => {
    expect(loginFormErrors({ baseUrl: " ", partnerUserId: "", apiKey: "" })).toEqual({
      baseUrl: "Enter the server address",
      partnerUserId: "Enter the partner user id",
      apiKey: "Enter the API key",
    });
    expect(loginFormErrors({ baseUrl: "https://api.revelator.com", partnerUserId: "1", apiKey: "k" })).toEqual({});
  });
  it("explains a refused login by its code", () => {
    expect(loginFailureHint("Unauthorized")).toContain("refused these credentials");
    expect(loginFailureHint("Offline")).toContain("could not be reached");
  });
  it("labels the account for the top bar", () => {
    expect(accountLabel(account)).toBe("label-1@api.revelator.com");
    expect(accountLabel({ baseUrl: "https://api.revelator.com", partnerUserId: null, hasKey: false })).toBeNull();
    expect(accountLabel(null)).toBeNull();
  });
});
