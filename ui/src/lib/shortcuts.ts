// Global keyboard shortcuts. Ctrl on Windows/Linux and Cmd on macOS are both accepted as "mod".

export type Command = "undo" | "redo" | "search" | "open" | "new" | "backup" | "close";

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function matchShortcut(e: KeyLike): Command | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.altKey) return null;
  if (mod && key === "z") return e.shiftKey ? "redo" : "undo";
  if (mod && key === "y" && !e.shiftKey) return "redo";
  if (mod && key === "k" && !e.shiftKey) return "search";
  if (mod && key === "o" && !e.shiftKey) return "open";
  if (mod && e.shiftKey && key === "n") return "new";
  if (mod && e.shiftKey && key === "b") return "backup";
  if (!mod && !e.shiftKey && key === "Escape") return "close";
  return null;
}

/**
 * Whether the browser should keep a key for itself: text undo inside an input whose value is
 * being edited (not yet committed) stays native.
 */
export function isEditingText(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const field = target.closest("input, textarea, [contenteditable='true']");
  return field instanceof HTMLElement && field.dataset.dirty !== "false";
}

export const MOD_LABEL =
  typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl";
