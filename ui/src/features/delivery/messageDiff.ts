// The line diff between the message a release would be delivered as now and the one last
// exported for that profile: Myers' shortest edit script on lines, then hunks with context.

export type DiffOp = "same" | "added" | "removed";

/** One line of the diff, with its 0-based index in the old and/or new text. */
export type DiffLine = { op: DiffOp; text: string; oldIndex: number | null; newIndex: number | null };

/**
 * Beyond this many changed lines the shortest script is not searched for (its cost grows with
 * the square of the changes): the differing middle is shown as removed, then added.
 */
export const MAX_EDIT_DISTANCE = 4000;

/** Splits text into lines; a final line break does not make an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The shortest line diff turning `before` into `after` (removals before additions). */
export function diffLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ op: "same", text: before[i] ?? "", oldIndex: i, newIndex: i });
  const middle = myers(before.slice(start, endBefore), after.slice(start, endAfter));
  for (const line of middle) {
    out.push({
      ...line,
      oldIndex: line.oldIndex === null ? null : line.oldIndex + start,
      newIndex: line.newIndex === null ? null : line.newIndex + start,
    });
  }
  for (let i = endBefore, j = endAfter; i < before.length; i++, j++) {
    out.push({ op: "same", text: before[i] ?? "", oldIndex: i, newIndex: j });
  }
  return out;
}

function replaceAll(a: readonly string[], b: readonly string[]): DiffLine[] {
  return [
    ...a.map((text, i): DiffLine => ({ op: "removed", text, oldIndex: i, newIndex: null })),
    ...b.map((text, j): DiffLine => ({ op: "added", text, oldIndex: null, newIndex: j })),
  ];
}

function myers(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return replaceAll(a, b);
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * offset + 1);
  // trace[d] holds v[-d..d] as it was before step d: all backtracking needs.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d);
    }
  }
  return replaceAll(a, b);
}

function backtrack(a: readonly string[], b: readonly string[], trace: readonly Int32Array[], depth: number): DiffLine[] {
  const out: DiffLine[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = depth; d > 0; d--) {
    const v = trace[d];
    if (v === undefined) break;
    const at = (k: number) => v[k + d] ?? 0;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      out.push({ op: "same", text: a[x] ?? "", oldIndex: x, newIndex: y });
    }
    if (down) {
      y--;
      out.push({ op: "added", text: b[y] ?? "", oldIndex: null, newIndex: y });
    } else {
      x--;
      out.push({ op: "removed", text: a[x] ?? "", oldIndex: x, newIndex: null });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    out.push({ op: "same", text: a[x] ?? "", oldIndex: x, newIndex: y });
  }
  return out.reverse();
}

/** A run of changes with up to `context` unchanged lines around it. */
export type Hunk = {
  /** 1-based first line and line count in the old and the new text, as in a unified diff. */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
};

/** Groups a diff into hunks; changes closer than twice `context` lines share one. */
export function hunks(diff: readonly DiffLine[], context = 3): Hunk[] {
  const changed = diff.flatMap((l, i) => (l.op === "same" ? [] : [i]));
  const out: Hunk[] = [];
  let from = -1;
  let to = -1;
  const flush = () => {
    if (from < 0) return;
    const lines = diff.slice(from, to + 1);
    const firstOld = lines.find((l) => l.oldIndex !== null)?.oldIndex;
    const firstNew = lines.find((l) => l.newIndex !== null)?.newIndex;
    const oldLines = lines.filter((l) => l.op !== "added").length;
    const newLines = lines.filter((l) => l.op !== "removed").length;
    // An empty side starts, as in unified diffs, at the line before the hunk.
    const before = diff.slice(0, from);
    const oldBefore = before.filter((l) => l.op !== "added").length;
    const newBefore = before.filter((l) => l.op !== "removed").length;
    out.push({
      oldStart: firstOld === undefined || firstOld === null ? oldBefore : firstOld + 1,
      oldLines,
      newStart: firstNew === undefined || firstNew === null ? newBefore : firstNew + 1,
      newLines,
      lines,
    });
  };
  for (const i of changed) {
    const start = Math.max(0, i - context);
    const end = Math.min(diff.length - 1, i + context);
    if (from >= 0 && start <= to + 1) {
      to = Math.max(to, end);
    } else {
      flush();
      from = start;
      to = end;
    }
  }
  flush();
  return out;
}

/** What the delivery view shows about the current message against the last export. */
export type MessageComparison =
  | { state: "never-exported" }
  | { state: "no-message" }
  | { state: "unchanged"; exportedAt: string; batchId: string }
  | {
      state: "changed";
      exportedAt: string;
      batchId: string;
      added: number;
      removed: number;
      /** Only the message header (its id and time) differs: the release data is as sent. */
      headerOnly: boolean;
      hunks: Hunk[];
    };

type Export = { xml: string; exportedAt: string; batchId: string };

const HEADER_OPEN = /<(?:[\w.-]+:)?MessageHeader[\s>]/;
const HEADER_CLOSE = /<\/(?:[\w.-]+:)?MessageHeader\s*>/;

/** Indices of the lines from `<MessageHeader>` to `</MessageHeader>`. */
export function headerLines(lines: readonly string[]): Set<number> {
  const out = new Set<number>();
  const open = lines.findIndex((l) => HEADER_OPEN.test(l));
  if (open < 0) return out;
  for (let i = open; i < lines.length; i++) {
    out.add(i);
    if (HEADER_CLOSE.test(lines[i] ?? "")) break;
  }
  return out;
}

/** Compares the message as it is now with the last export of the same release and profile. */
export function compareWithLastExport(current: string | null, last: Export | null, context = 3): MessageComparison {
  if (last === null) return { state: "never-exported" };
  if (current === null) return { state: "no-message" };
  const { exportedAt, batchId } = last;
  if (current === last.xml) return { state: "unchanged", exportedAt, batchId };
  const before = splitLines(last.xml);
  const after = splitLines(current);
  const diff = diffLines(before, after);
  const added = diff.filter((l) => l.op === "added").length;
  const removed = diff.filter((l) => l.op === "removed").length;
  if (added === 0 && removed === 0) return { state: "unchanged", exportedAt, batchId };
  const oldHeader = headerLines(before);
  const newHeader = headerLines(after);
  const headerOnly = diff.every(
    (l) =>
      l.op === "same" ||
      (l.op === "removed" && l.oldIndex !== null && oldHeader.has(l.oldIndex)) ||
      (l.op === "added" && l.newIndex !== null && newHeader.has(l.newIndex)),
  );
  return { state: "changed", exportedAt, batchId, added, removed, headerOnly, hunks: hunks(diff, context) };
}
