// The catalog's Revelator account and the running sync job, shared by the top bar button, the
// account dialog and every release's sync panel.
import { api, type JobProgress, type RevelatorAccount } from "../../lib/ipc/client";
import { reportError } from "../../lib/errors";
import { isSyncJob } from "./syncLogic";

class SyncStore {
  account = $state.raw<RevelatorAccount | null>(null);
  /** The latest sync job's progress; kept after it ends so its outcome stays readable. */
  job = $state.raw<JobProgress | null>(null);
  dialogOpen = $state(false);
  starting = $state(false);
  /** Bumped whenever a sync job ends, so views depending on the outcome reload. */
  finished = $state(0);

  get running(): boolean {
    return this.starting || this.job?.state === "Running";
  }

  get connected(): boolean {
    return this.account?.hasKey === true && this.account.partnerUserId !== null;
  }

  async loadAccount(): Promise<void> {
    try {
      this.account = await api.revelatorAccount();
    } catch (e) {
      this.account = null;
      reportError(e, { context: "Revelator account" });
    }
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.starting = true;
    try {
      const id = await api.startSync();
      // The first events may have arrived before the id did.
      if (this.job?.id !== id) {
        this.job = { id, kind: "sync", releaseId: null, done: 0, total: 0, message: "", state: "Running" };
      }
    } catch (e) {
      reportError(e, { context: "Sync" });
    } finally {
      this.starting = false;
    }
  }

  async cancel(): Promise<void> {
    if (this.job?.state !== "Running") return;
    try {
      await api.cancelJob(this.job.id);
    } catch (e) {
      reportError(e);
    }
  }

  /** Feeds a `job-progress` event; anything but a sync job is ignored. */
  observe(progress: JobProgress): void {
    if (!isSyncJob(progress)) return;
    if (this.job !== null && progress.id < this.job.id) return;
    const wasRunning = this.job?.id !== progress.id || this.job.state === "Running";
    this.job = progress;
    if (progress.state !== "Running" && wasRunning) this.finished += 1;
  }
}

export const syncStore = new SyncStore();
