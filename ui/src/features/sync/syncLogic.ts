// Pure rules of the Revelator sync UI: how states read, which actions a release's sync view
// allows, and how the background sync job is summarised. Components only render these.
import type {
  DeliveryState,
  ErrorCode,
  JobProgress,
  PendingOp,
  ReleaseSync,
  ReleaseSyncState,
  RemoteStore,
  RevelatorAccount,
  SyncAction,
  SyncState,
} from "../../lib/ipc/client";

export type Tone = "success" | "warning" | "danger" | "muted" | "accent";

export interface Badge {
  label: string;
  tone: Tone;
  /** What the state means, for a tooltip. */
  hint: string;
}

const SYNC_BADGES: Record<SyncState, Badge> = {
  pending: { label: "Pending", tone: "accent", hint: "Local changes or deliveries wait for the next sync." },
  synced: { label: "Synced", tone: "success", hint: "Revelator holds this release as Catno has it." },
  failed: { label: "Failed", tone: "danger", hint: "The last attempt failed; the remote error is kept below." },
  conflict: {
    label: "Conflict",
    tone: "warning",
    hint: "The release was changed on Revelator; nothing is overwritten until you decide.",
  },
};

export function syncBadge(state: SyncState): Badge {
  return SYNC_BADGES[state];
}

const DELIVERY_BADGES: Record<DeliveryState, Badge> = {
  locked: { label: "Locked", tone: "warning", hint: "Queued or in review: its tracks cannot be edited." },
  inProgress: { label: "In progress", tone: "accent", hint: "On its way to the store." },
  live: { label: "Live", tone: "success", hint: "Available in the store." },
  error: { label: "Error", tone: "danger", hint: "The store or distributor reported a problem." },
  takingDown: { label: "Taking down", tone: "warning", hint: "A takedown was requested; the store has not confirmed it." },
  takenDown: { label: "Taken down", tone: "muted", hint: "Removed from the store." },
};

export function deliveryBadge(state: DeliveryState): Badge {
  return DELIVERY_BADGES[state];
}

/** The user-facing actions of the sync panel (the IPC actions plus refreshing the status). */
export type PanelAction = SyncAction | "refresh";

/**
 * Which actions make sense for a release's sync view. Delivering needs an account with a key;
 * the queue-only actions (cancel, keep local, confirm) work offline since they touch the outbox.
 */
export function availableActions(sync: ReleaseSync, account: RevelatorAccount | null): Set<PanelAction> {
  const connected = account?.hasKey === true && account.partnerUserId !== null;
  const actions = new Set<PanelAction>();
  const blockedByDecision = sync.state === "conflict" || sync.redelivery !== null;
  if (connected && !blockedByDecision) actions.add("deliver");
  if (connected && sync.remoteId !== null && sync.stores.length > 0) actions.add("takeDown");
  if (sync.state === "failed" || sync.pending.some((op) => op.lastError !== null)) actions.add("retry");
  if (sync.pending.some((op) => op.op !== "save")) actions.add("cancelDeliveries");
  if (sync.state === "conflict") actions.add("keepLocal");
  if (sync.redelivery !== null) actions.add("confirmRedelivery");
  if (connected && sync.remoteId !== null) actions.add("refresh");
  return actions;
}

/** Store names by id, falling back to the id for a store the account no longer lists. */
export function storeNames(ids: readonly string[], stores: readonly RemoteStore[]): string {
  const byId = new Map(stores.map((s) => [s.id, s.name]));
  return ids.map((id) => byId.get(id) ?? id).join(", ");
}

/** One queued operation, e.g. "Deliver to Spotify, Deezer". */
export function pendingOpLabel(op: PendingOp, stores: readonly RemoteStore[]): string {
  const where = op.stores.length > 0 ? storeNames(op.stores, stores) : "";
  switch (op.op) {
    case "save":
      return "Send local changes";
    case "deliver":
      return where ? `Deliver to ${where}` : "Deliver";
    case "takedown":
      return where ? `Take down from ${where}` : "Take down";
    default:
      return where ? `${op.op} (${where})` : op.op;
  }
}

/** Attempts and the backoff of a queued operation, or "" when it has not been tried yet. */
export function pendingOpStatus(op: PendingOp): string {
  if (op.attempts === 0) return "";
  const tries = `${op.attempts} attempt${op.attempts === 1 ? "" : "s"}`;
  return op.nextAttemptAt ? `${tries}, next after ${op.nextAttemptAt}` : `${tries}, waits for you`;
}

export function isSyncJob(progress: Pick<JobProgress, "kind">): boolean {
  return progress.kind === "sync";
}

/** The one-line summary of the sync job next to its progress bar. */
export function syncProgressText(progress: Pick<JobProgress, "done" | "total" | "message" | "state">): string {
  switch (progress.state) {
    case "Running": {
      const count = progress.total > 0 ? ` ${progress.done}/${progress.total}` : "…";
      return progress.message ? `Syncing${count} · ${progress.message}` : `Syncing${count}`;
    }
    case "Succeeded":
      return progress.message ? `Sync done: ${progress.message}` : "Sync done";
    case "Failed":
      return progress.message ? `Sync incomplete: ${progress.message}` : "Sync incomplete";
    case "Cancelled":
      return "Sync cancelled; the rest stays queued";
  }
}

export type SyncCounts = Record<SyncState, number>;

export function countStates(rows: readonly ReleaseSyncState[]): SyncCounts {
  const counts: SyncCounts = { pending: 0, synced: 0, failed: 0, conflict: 0 };
  for (const r of rows) counts[r.state] += 1;
  return counts;
}

/** The production Revelator API (what `revelator_account` reports when nothing is set). */
export const PRODUCTION_URL = "https://api.revelator.com";

/** The address of the local fake server (`catno-revelator-fake --port N`). */
export function demoUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

export function isDemoUrl(url: string): boolean {
  return /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/.test(url.trim());
}

export interface LoginForm {
  baseUrl: string;
  partnerUserId: string;
  apiKey: string;
}

/** What must be filled before asking the server; the server judges the rest. */
export function loginFormErrors(form: LoginForm): Partial<Record<keyof LoginForm, string>> {
  const errors: Partial<Record<keyof LoginForm, string>> = {};
  if (form.baseUrl.trim() === "") errors.baseUrl = "Enter the server address";
  if (form.partnerUserId.trim() === "") errors.partnerUserId = "Enter the partner user id";
  if (form.apiKey === "") errors.apiKey = "Enter the API key";
  return errors;
}

/** Explains a failed login by its error code; the backend's message is shown beside it verbatim. */
export function loginFailureHint(code: ErrorCode): string {
  switch (code) {
    case "Unauthorized":
      return "Revelator refused these credentials: check the partner user id and API key. Nothing was saved.";
    case "Offline":
      return "The server could not be reached: check the address and your connection. Nothing was saved.";
    case "Invalid":
      return "Check the values entered. Nothing was saved.";
    case "RemoteRejected":
      return "The server answered with an error. Nothing was saved.";
    case "Internal":
      return "The login did not complete (is the OS keyring available?). Nothing was saved.";
    case "Io":
    case "NotFound":
    case "Conflict":
      return "The login did not complete. Nothing was saved.";
  }
}

/** "partner@server" for the top bar, or null when no account is set up. */
export function accountLabel(account: RevelatorAccount | null): string | null {
  if (!account?.partnerUserId) return null;
  const host = account.baseUrl.replace(/^https?:\/\//, "");
  return `${account.partnerUserId}@${host}`;
}
