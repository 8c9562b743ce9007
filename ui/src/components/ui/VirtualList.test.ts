import { afterEach, describe, expect, it, vi } from "vitest";
import { createRawSnippet, flushSync, mount, unmount } from "svelte";
import VirtualList from "./VirtualList.svelte";

const rowSnippet = createRawSnippet((index: () => number) => ({
  render: () => `<span class="cell">Row ${index()}</span>`,
}));

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
});

function setup(total: number, extra: Record<string, unknown> = {}) {
  const target = document.createElement("div");
  document.body.appendChild(target);
  const onrange = vi.fn();
  const onselect = vi.fn();
  const onactivate = vi.fn();
  app = mount(VirtualList, {
    target,
    props: {
      total,
      rowHeight: 28,
      overscan: 5,
      row: rowSnippet,
      label: "Releases",
      rowTestId: "release-row",
      initialHeight: 560,
      onrange,
      onselect,
      onactivate,
      ...extra,
    },
  });
  flushSync();
  const viewport = target.querySelector<HTMLElement>('[role="listbox"]');
  if (!viewport) throw new Error("no viewport");
  return { target, viewport, onrange, onselect, onactivate };
}

const rows = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>('[data-testid="release-row"]')];

describe("VirtualList", () => {
  it("keeps only the visible rows plus overscan in the DOM for 100,000 rows", () => {
    const { target, onrange } = setup(100_000);
    const r = rows(target);
    expect(r).toHaveLength(25); // 20 visible + 5 overscan below
    expect(r[0]?.textContent).toBe("Row 0");
    expect(onrange).toHaveBeenLastCalledWith(0, 25);
    const spacer = target.querySelector<HTMLElement>(".spacer");
    expect(spacer?.style.height).toBe(`${100_000 * 28}px`);
  });

  it("renders the rows of the new window after scrolling", () => {
    const { target, viewport, onrange } = setup(100_000);
    viewport.scrollTop = 70_000 * 28;
    viewport.dispatchEvent(new Event("scroll"));
    flushSync();
    const r = rows(target);
    expect(r).toHaveLength(30);
    expect(r[0]?.dataset.index).toBe("69995");
    expect(r.at(-1)?.dataset.index).toBe("70024");
    expect(onrange).toHaveBeenLastCalledWith(69_995, 70_025);
  });

  it("moves the selection with the keyboard and activates with Enter", () => {
    const { viewport, onselect, onactivate } = setup(1000, { selected: 10 });
    viewport.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    expect(onselect).toHaveBeenLastCalledWith(11);
    viewport.dispatchEvent(new KeyboardEvent("keydown", { key: "End", bubbles: true }));
    expect(onselect).toHaveBeenLastCalledWith(999);
    // End scrolled the viewport so the last row is visible.
    expect(viewport.scrollTop).toBe(1000 * 28 - 560);
    viewport.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(onactivate).toHaveBeenCalledWith(10);
  });

  it("marks the selected row for assistive tech", () => {
    const { target } = setup(50, { selected: 3 });
    const selected = target.querySelector('[aria-selected="true"]');
    expect(selected?.textContent).toBe("Row 3");
    expect(target.querySelector('[role="listbox"]')?.getAttribute("aria-activedescendant")).toBe(selected?.id);
  });
});
