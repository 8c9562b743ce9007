// Toast notifications (errors that are not field validation, and a few confirmations).

export type ToastTone = "error" | "warning" | "info" | "success";

export interface ToastAction {
  label: string;
  run: () => void;
}

export interface Toast {
  id: number;
  tone: ToastTone;
  title: string;
  message: string;
  action: ToastAction | null;
}

export interface ToastInput {
  tone?: ToastTone;
  title: string;
  message?: string;
  action?: ToastAction | null;
  /** Auto-dismiss after this many ms; errors stay until dismissed unless given. */
  timeoutMs?: number;
}

class Toaster {
  items = $state<Toast[]>([]);
  private nextId = 1;

  push(input: ToastInput): number {
    const tone = input.tone ?? "info";
    // Collapse an identical toast already on screen instead of stacking duplicates.
    const same = this.items.find(
      (t) => t.tone === tone && t.title === input.title && t.message === (input.message ?? ""),
    );
    if (same) return same.id;
    const id = this.nextId++;
    this.items = [
      ...this.items.slice(-4),
      { id, tone, title: input.title, message: input.message ?? "", action: input.action ?? null },
    ];
    const timeout = input.timeoutMs ?? (tone === "error" || tone === "warning" ? 0 : 4000);
    if (timeout > 0) setTimeout(() => this.dismiss(id), timeout);
    return id;
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }

  clear(): void {
    this.items = [];
  }
}

export const toaster = new Toaster();
