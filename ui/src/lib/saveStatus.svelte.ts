// "Saved" / "Saving…" / error indicator shared by both editors.

class SaveStatus {
  pending = $state(0);
  lastError = $state<string | null>(null);
  lastSavedAt = $state<number | null>(null);

  /** Wraps a save so the indicator reflects it. Resolves/rejects like `work`. */
  async track<T>(work: Promise<T>): Promise<T> {
    this.pending++;
    try {
      const result = await work;
      this.lastError = null;
      this.lastSavedAt = Date.now();
      return result;
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : "Not saved";
      throw e;
    } finally {
      this.pending--;
    }
  }

  get state(): "idle" | "saving" | "saved" | "error" {
    if (this.pending > 0) return "saving";
    if (this.lastError !== null) return "error";
    return this.lastSavedAt === null ? "idle" : "saved";
  }

  reset(): void {
    this.lastError = null;
    this.lastSavedAt = null;
  }
}

export const saveStatus = new SaveStatus();
