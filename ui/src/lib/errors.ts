// Turning command failures into user-facing notices. Branches on `code` only; the backend's
// `message` is shown verbatim, never parsed.
import { toFailure, type ErrorCode, type IpcFailure } from "./ipc/client";
import { toaster, type ToastTone } from "../components/ui/toaster.svelte";

export interface FailureNotice {
  tone: ToastTone;
  title: string;
  message: string;
  /** Whether offering "Refresh" makes sense (the data on screen is outdated). */
  refresh: boolean;
}

const TITLES: Record<ErrorCode, { title: string; tone: ToastTone; refresh: boolean }> = {
  NotFound: { title: "No longer exists", tone: "warning", refresh: true },
  Invalid: { title: "Invalid value", tone: "error", refresh: false },
  Conflict: { title: "Changed elsewhere", tone: "warning", refresh: true },
  Unauthorized: { title: "Not authorized", tone: "error", refresh: false },
  Offline: { title: "Offline", tone: "warning", refresh: false },
  RemoteRejected: { title: "Rejected by the remote service", tone: "error", refresh: false },
  Io: { title: "File error", tone: "error", refresh: false },
  Internal: { title: "Something went wrong", tone: "error", refresh: false },
};

export function describeFailure(f: IpcFailure): FailureNotice {
  const t = TITLES[f.code];
  return { tone: t.tone, title: t.title, message: f.message, refresh: t.refresh };
}

let refreshAll: () => void = () => {};

/** The app registers how to refetch what is on screen (used by the toast's Refresh action). */
export function setRefreshHandler(fn: () => void): void {
  refreshAll = fn;
}

export interface ReportOptions {
  /** Replaces the default refresh for NotFound/Conflict (e.g. close the editor of a deleted item). */
  onStale?: () => void;
  /** Prefix for context, e.g. "Opening release". */
  context?: string;
}

/** Shows a dismissible toast for a failure. Returns the normalized failure. */
export function reportError(e: unknown, opts: ReportOptions = {}): IpcFailure {
  const f = toFailure(e);
  const n = describeFailure(f);
  const stale = opts.onStale ?? refreshAll;
  if (n.refresh) stale();
  toaster.push({
    tone: n.tone,
    title: opts.context ? `${opts.context}: ${n.title.toLowerCase()}` : n.title,
    message: n.message,
    action: n.refresh ? { label: "Refresh", run: () => refreshAll() } : null,
  });
  return f;
}
