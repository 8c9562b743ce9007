// App-wide singletons that are not reactive state: the undo stack, the draft store and the
// registry of uncommitted edits.
import { UndoStack } from "./undo";
import { DraftStore, PendingEdits, defaultStorage } from "./drafts";

export const undoStack = new UndoStack(300);
export const drafts = new DraftStore(defaultStorage());
export const pendingEdits = new PendingEdits();
