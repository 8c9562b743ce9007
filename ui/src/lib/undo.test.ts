import { describe, expect, it, vi } from "vitest";
import { UndoStack, addRemovePair, fieldEdit, removeAddPair, type UndoEntry } from "./undo";

/** A fake "backend field" to apply edits to. */
function fakeField(initial: string) {
  const state = { value: initial, applied: [] as string[] };
  const apply = (v: string) => {
    state.value = v;
    state.applied.push(v);
    return Promise.resolve();
  };
  return { state, apply };
}

describe("UndoStack", () => {
  it("undoes and redoes field edits in LIFO order through the apply function", async () => {
    const stack = new UndoStack();
    const f = fakeField("a");
    // The user committed a → b, then b → c.
    await f.apply("b");
    stack.push(fieldEdit({ entity: "release", id: 1, field: "title" }, "a", "b", f.apply));
    await f.apply("c");
    stack.push(fieldEdit({ entity: "release", id: 1, field: "title" }, "b", "c", f.apply));

    await stack.undo();
    expect(f.state.value).toBe("b");
    await stack.undo();
    expect(f.state.value).toBe("a");
    expect(await stack.undo()).toBeNull();
    expect(f.state.value).toBe("a");

    await stack.redo();
    expect(f.state.value).toBe("b");
    await stack.redo();
    expect(f.state.value).toBe("c");
    expect(await stack.redo()).toBeNull();
    expect(f.state.applied).toEqual(["b", "c", "b", "a", "b", "c"]);
  });

  it("clears the redo stack when a new edit is pushed", async () => {
    const stack = new UndoStack();
    const f = fakeField("a");
    stack.push(fieldEdit({ entity: "track", id: 2, field: "isrc" }, "a", "b", f.apply));
    await stack.undo();
    expect(stack.canRedo).toBe(true);
    stack.push(fieldEdit({ entity: "track", id: 2, field: "isrc" }, "a", "x", f.apply));
    expect(stack.canRedo).toBe(false);
    expect(stack.size).toEqual({ undo: 1, redo: 0 });
  });

  it("keeps an entry in place when its undo fails, and rethrows", async () => {
    const stack = new UndoStack();
    const failing: UndoEntry = {
      label: "x",
      undo: () => Promise.reject(new Error("backend down")),
      redo: () => Promise.resolve(),
    };
    stack.push(failing);
    await expect(stack.undo()).rejects.toThrow("backend down");
    expect(stack.size).toEqual({ undo: 1, redo: 0 });
    expect(stack.busy).toBe(false);
  });

  it("runs one operation at a time: a second undo while one runs is ignored", async () => {
    const stack = new UndoStack();
    let release!: () => void;
    const slow: UndoEntry = {
      label: "slow",
      undo: () => new Promise<void>((r) => (release = r)),
      redo: () => Promise.resolve(),
    };
    const other = vi.fn(() => Promise.resolve());
    stack.push({ label: "first", undo: other, redo: other });
    stack.push(slow);
    const first = stack.undo();
    expect(stack.busy).toBe(true);
    expect(stack.canUndo).toBe(false);
    expect(await stack.undo()).toBeNull();
    release();
    expect(await first).toBe(slow);
    expect(other).not.toHaveBeenCalled();
    expect(stack.size).toEqual({ undo: 1, redo: 1 });
  });

  it("drops the oldest entries beyond its limit", async () => {
    const stack = new UndoStack(3);
    const labels: string[] = [];
    for (let i = 0; i < 5; i++) {
      stack.push({
        label: `e${i}`,
        undo: () => {
          labels.push(`e${i}`);
          return Promise.resolve();
        },
        redo: () => Promise.resolve(),
      });
    }
    while (await stack.undo()) {
      /* drain */
    }
    expect(labels).toEqual(["e4", "e3", "e2"]);
  });

  it("notifies subscribers with labels and availability", async () => {
    const stack = new UndoStack();
    const states: { canUndo: boolean; undoLabel: string | null; redoLabel: string | null }[] = [];
    stack.subscribe((s) => states.push({ canUndo: s.canUndo, undoLabel: s.undoLabel, redoLabel: s.redoLabel }));
    const f = fakeField("");
    stack.push(fieldEdit({ entity: "release", id: 1, field: "upc" }, "", "1", f.apply, { label: "Edit UPC" }));
    await stack.undo();
    expect(states[0]).toEqual({ canUndo: false, undoLabel: null, redoLabel: null });
    expect(states[1]).toEqual({ canUndo: true, undoLabel: "Edit UPC", redoLabel: null });
    expect(states.at(-1)).toEqual({ canUndo: false, undoLabel: null, redoLabel: "Edit UPC" });
  });

  it("discards entries matching a predicate (e.g. for a deleted entity)", () => {
    const stack = new UndoStack();
    const f = fakeField("");
    stack.push(fieldEdit({ entity: "release", id: 1, field: "title" }, "", "a", f.apply));
    stack.push(fieldEdit({ entity: "release", id: 2, field: "title" }, "", "b", f.apply));
    stack.discard((e) => "ref" in e && (e as ReturnType<typeof fieldEdit>).ref.id === 1);
    expect(stack.size.undo).toBe(1);
    expect(stack.peek("undo")?.label).toBe("Edit title");
  });
});

describe("add/remove pairs", () => {
  it("undoes an add by removing the created id, and redo re-adds under the new id", async () => {
    const backend = new Map<number, string>([[7, "Alice"]]);
    let nextId = 8;
    const add = () => {
      const id = nextId++;
      backend.set(id, "Alice");
      return Promise.resolve(id);
    };
    const remove = (id: number) => {
      if (!backend.delete(id)) return Promise.reject(new Error(`no ${id}`));
      return Promise.resolve();
    };
    const stack = new UndoStack();
    const entry = addRemovePair("Add Alice", 7, add, remove);
    stack.push(entry);

    await stack.undo();
    expect(backend.size).toBe(0);
    await stack.redo();
    expect([...backend.keys()]).toEqual([8]);
    expect(entry.currentId()).toBe(8);
    // A second undo must remove the re-created credit, not the original id.
    await stack.undo();
    expect(backend.size).toBe(0);
  });

  it("undoes a remove by adding again, and redo removes the re-added id", async () => {
    const backend = new Set<number>();
    let nextId = 100;
    const stack = new UndoStack();
    const entry = removeAddPair(
      "Remove Bob",
      5,
      () => {
        const id = nextId++;
        backend.add(id);
        return Promise.resolve(id);
      },
      (id) => {
        backend.delete(id);
        return Promise.resolve();
      },
    );
    stack.push(entry);
    await stack.undo();
    expect([...backend]).toEqual([100]);
    await stack.redo();
    expect(backend.size).toBe(0);
    expect(entry.currentId()).toBe(100);
  });
});
