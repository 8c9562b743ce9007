// Undo/redo of committed edits. Framework-free so it can be unit-tested.
//
// An entry knows how to undo and redo itself through the same backend commands a user edit goes
// through (a field edit re-applies the previous value; an add is undone by a remove and vice
// versa). Entries run one at a time; a failed undo/redo leaves the stacks as they were.

export interface UndoEntry {
  /** Short human description, e.g. "Edit title". */
  readonly label: string;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** Brings the affected entity on screen (called by the app after an undo/redo). */
  reveal?(): void;
}

export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
  busy: boolean;
}

export type UndoListener = (state: UndoState) => void;

export class UndoStack {
  private done: UndoEntry[] = [];
  private undone: UndoEntry[] = [];
  private running = false;
  private readonly listeners = new Set<UndoListener>();

  constructor(private readonly limit = 200) {}

  /** Records an edit that has already been applied. Clears the redo stack. */
  push(entry: UndoEntry): void {
    this.done.push(entry);
    if (this.done.length > this.limit) this.done.splice(0, this.done.length - this.limit);
    this.undone = [];
    this.emit();
  }

  get canUndo(): boolean {
    return this.done.length > 0 && !this.running;
  }

  get canRedo(): boolean {
    return this.undone.length > 0 && !this.running;
  }

  get busy(): boolean {
    return this.running;
  }

  get size(): { undo: number; redo: number } {
    return { undo: this.done.length, redo: this.undone.length };
  }

  /**
   * Undoes the latest edit. Resolves to the entry undone, or null when there was nothing to undo
   * or another undo/redo is still running. Rethrows the entry's error, leaving it in place.
   */
  async undo(): Promise<UndoEntry | null> {
    return this.run(this.done, this.undone, (e) => e.undo());
  }

  /** Redoes the latest undone edit; same contract as `undo`. */
  async redo(): Promise<UndoEntry | null> {
    return this.run(this.undone, this.done, (e) => e.redo());
  }

  /** The entry the next undo (or redo) would run, without running it. */
  peek(which: "undo" | "redo"): UndoEntry | null {
    return (which === "undo" ? this.done : this.undone).at(-1) ?? null;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
    this.emit();
  }

  /** Drops entries matching `pred` (e.g. ones about an entity that no longer exists). */
  discard(pred: (entry: UndoEntry) => boolean): void {
    this.done = this.done.filter((e) => !pred(e));
    this.undone = this.undone.filter((e) => !pred(e));
    this.emit();
  }

  subscribe(listener: UndoListener): () => void {
    this.listeners.add(listener);
    listener(this.state());
    return () => this.listeners.delete(listener);
  }

  state(): UndoState {
    return {
      canUndo: this.canUndo,
      canRedo: this.canRedo,
      undoLabel: this.done.at(-1)?.label ?? null,
      redoLabel: this.undone.at(-1)?.label ?? null,
      busy: this.running,
    };
  }

  private async run(
    from: UndoEntry[],
    to: UndoEntry[],
    action: (e: UndoEntry) => Promise<void>,
  ): Promise<UndoEntry | null> {
    if (this.running) return null;
    const entry = from.at(-1);
    if (!entry) return null;
    this.running = true;
    this.emit();
    try {
      await action(entry);
      // `from`/`to` are the live arrays unless clear() ran meanwhile; then drop the entry.
      const idx = from.lastIndexOf(entry);
      if (idx !== -1) {
        from.splice(idx, 1);
        to.push(entry);
      }
      return entry;
    } finally {
      this.running = false;
      this.emit();
    }
  }

  private emit(): void {
    const s = this.state();
    for (const l of this.listeners) l(s);
  }
}

/** Where a field lives, for undo labels and draft keys. */
export interface FieldRef {
  entity: "release" | "track" | "artist" | "position";
  id: number;
  field: string;
}

/**
 * An undo entry for a committed field edit. `apply` is the same function the editor used to
 * commit; undo applies `before`, redo applies `after`.
 */
export function fieldEdit(
  ref: FieldRef,
  before: string,
  after: string,
  apply: (value: string) => Promise<void>,
  opts: { label?: string; reveal?: () => void } = {},
): UndoEntry & { ref: FieldRef; before: string; after: string } {
  const entry: UndoEntry & { ref: FieldRef; before: string; after: string } = {
    label: opts.label ?? `Edit ${ref.field.replace(/_/g, " ")}`,
    ref,
    before,
    after,
    undo: () => apply(before),
    redo: () => apply(after),
  };
  if (opts.reveal) entry.reveal = opts.reveal;
  return entry;
}

/**
 * An undo entry for an add that must be undone by a remove of whatever the add created (and
 * redone by adding again, which may yield a new id). `add` resolves to the created id.
 */
export function addRemovePair(
  label: string,
  createdId: number,
  add: () => Promise<number>,
  remove: (id: number) => Promise<void>,
): UndoEntry & { currentId(): number } {
  let id = createdId;
  return {
    label,
    currentId: () => id,
    undo: () => remove(id),
    redo: async () => {
      id = await add();
    },
  };
}

/** The inverse of `addRemovePair`: a remove, undone by adding again. */
export function removeAddPair(
  label: string,
  removedId: number,
  add: () => Promise<number>,
  remove: (id: number) => Promise<void>,
): UndoEntry & { currentId(): number } {
  let id = removedId;
  return {
    label,
    currentId: () => id,
    undo: async () => {
      id = await add();
    },
    redo: () => remove(id),
  };
}
