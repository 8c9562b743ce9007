// Pure helpers of the QC panel: finding groups and filters, the waveform's SVG path and its
// silence/clipping markers, and the figures shown per file.
import type { FileQc, QcFinding, Severity, WaveBucket } from "../../lib/ipc/client";

export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

export type FindingGroup = { severity: Severity; findings: QcFinding[] };

/** Findings grouped by severity (errors first), keeping only the severities in `shown`. */
export function groupFindings(findings: readonly QcFinding[], shown: ReadonlySet<Severity>): FindingGroup[] {
  return SEVERITIES.filter((s) => shown.has(s))
    .map((severity) => ({ severity, findings: findings.filter((f) => f.severity === severity) }))
    .filter((g) => g.findings.length > 0);
}

export type SeverityCounts = Record<Severity, number>;

/** How many findings of each severity the files have. */
export function countSeverities(files: readonly FileQc[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const file of files) for (const f of file.findings) counts[f.severity] += 1;
  return counts;
}

/** The worst severity of a file's findings, or null for a clean file. */
export function worstSeverity(file: FileQc): Severity | null {
  return SEVERITIES.find((s) => file.findings.some((f) => f.severity === s)) ?? null;
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/**
 * A closed SVG path of the waveform's min/max envelope in a `width` × `height` box: the tops
 * left to right, then the bottoms right to left. Amplitudes are clamped to [-1, 1].
 */
export function waveformPath(buckets: readonly WaveBucket[], width: number, height: number): string {
  if (buckets.length === 0 || width <= 0 || height <= 0) return "";
  const mid = height / 2;
  const step = width / buckets.length;
  const clamp = (v: number) => Math.max(-1, Math.min(1, v));
  const y = (v: number) => mid - clamp(v) * mid;
  const top = buckets.map((b, i) => `${round(i * step + step / 2)},${round(y(Math.max(b.max ?? 0, 0)))}`);
  const bottom = buckets
    .map((b, i) => `${round(i * step + step / 2)},${round(y(Math.min(b.min ?? 0, 0)))}`)
    .reverse();
  return `M${top.join("L")}L${bottom.join("L")}Z`;
}

export type Span = { x: number; width: number };

/** Where the leading and trailing silence are, in a box `width` wide. */
export function silenceSpans(durationMs: number, leadingMs: number, trailingMs: number, width: number): Span[] {
  if (durationMs <= 0 || width <= 0) return [];
  const scale = width / durationMs;
  const spans: Span[] = [];
  const lead = Math.min(leadingMs, durationMs);
  if (lead > 0) spans.push({ x: 0, width: lead * scale });
  const trail = Math.min(trailingMs, durationMs - lead);
  if (trail > 0) spans.push({ x: width - trail * scale, width: trail * scale });
  return spans;
}

/** X positions of clipping runs, merged when closer than `minGap` px. */
export function clipMarkers(
  runs: readonly { position_ms: number | null }[],
  durationMs: number,
  width: number,
  minGap = 2,
): number[] {
  if (durationMs <= 0 || width <= 0) return [];
  const xs = runs
    .map((r) => r.position_ms)
    .filter((p): p is number => p !== null && Number.isFinite(p))
    .map((p) => (Math.min(Math.max(p, 0), durationMs) / durationMs) * width)
    .sort((a, b) => a - b);
  const out: number[] = [];
  for (const x of xs) {
    const last = out[out.length - 1];
    if (last === undefined || x - last >= minGap) out.push(x);
  }
  return out;
}

/** A level in dB with its unit, or "−∞" for silence. */
export function formatLevel(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return `−∞ ${unit}`;
  return `${value.toFixed(1).replace("-", "−")} ${unit}`;
}

/** "44.1 kHz / 24-bit / 2 ch"; "lossy" when the codec has no bit depth. */
export function formatFormat(sampleRate: number, bitDepth: number | null, channels: number): string {
  const khz = (sampleRate / 1000).toFixed(sampleRate % 1000 === 0 ? 0 : 1);
  const bits = bitDepth === null ? "lossy" : `${bitDepth}-bit`;
  return `${khz} kHz / ${bits} / ${channels} ch`;
}

/** The file name of a path (either separator). */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/** A stretch of a master played over and over, in ms. */
export type LoopRegion = { startMs: number; endMs: number };

/** Shorter selections are taken as a click (seek), not a loop. */
export const MIN_LOOP_MS = 200;

/**
 * The loop a drag on the waveform selects, from its two ends as fractions of the width
 * (either order); null for a drag too short to be meant as a loop.
 */
export function regionFromDrag(fromRatio: number, toRatio: number, durationMs: number): LoopRegion | null {
  if (durationMs <= 0) return null;
  const clamp = (r: number) => Math.min(1, Math.max(0, r)) * durationMs;
  const startMs = Math.min(clamp(fromRatio), clamp(toRatio));
  const endMs = Math.max(clamp(fromRatio), clamp(toRatio));
  return endMs - startMs < MIN_LOOP_MS ? null : { startMs, endMs };
}

/**
 * Where playback continues: back at the loop's start when it just crossed the end, else null.
 * Only a crossing jumps, so a seek elsewhere (to listen outside the loop) is honoured.
 */
export function loopJump(previousMs: number, positionMs: number, region: LoopRegion | null): number | null {
  if (region === null) return null;
  return previousMs < region.endMs && positionMs >= region.endMs ? region.startMs : null;
}

/** Where Play starts with a loop on: its start, unless the playhead is inside it already. */
export function loopStart(positionMs: number, region: LoopRegion | null): number | null {
  if (region === null) return null;
  return positionMs >= region.startMs && positionMs < region.endMs ? null : region.startMs;
}

/**
 * Volumes (0–1) that play two masters at the same loudness: the louder one is turned down
 * by the difference in integrated loudness, so A/B compares sound, not level. Unknown
 * loudness (silence, too short) leaves both at full volume.
 */
export function matchedVolumes(lufsA: number | null, lufsB: number | null): { a: number; b: number } {
  if (lufsA === null || lufsB === null || !Number.isFinite(lufsA) || !Number.isFinite(lufsB)) {
    return { a: 1, b: 1 };
  }
  const quieter = Math.min(lufsA, lufsB);
  const gain = (lufs: number) => Math.pow(10, (quieter - lufs) / 20);
  return { a: gain(lufsA), b: gain(lufsB) };
}

/** The position the other master continues from on an A/B switch (clamped to its length). */
export function switchPosition(positionMs: number, otherDurationMs: number | null): number {
  if (otherDurationMs === null || otherDurationMs <= 0) return Math.max(0, positionMs);
  return Math.min(Math.max(0, positionMs), otherDurationMs);
}

/** "1:05.250", for positions and loop bounds. */
export function formatTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const minutes = Math.floor(total / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  return `${minutes}:${String(seconds).padStart(2, "0")}.${String(millis).padStart(3, "0")}`;
}

const IMAGE_EXTENSIONS = ["jpg", "jpeg", "jpe", "png", "tif", "tiff", "webp", "gif", "bmp", "heic", "heif", "avif"];

/** Whether core takes a file as artwork (by extension, as `MediaKind::of_path` does). */
export function isImagePath(path: string): boolean {
  const name = fileName(path);
  const dot = name.lastIndexOf(".");
  return dot > 0 && IMAGE_EXTENSIONS.includes(name.slice(dot + 1).toLowerCase());
}

export type DropOwner = { kind: "Release"; id: number } | { kind: "Track"; id: number };

/** What a drop does: each file attached to an owner, or refused with a reason. */
export type DropPlan = {
  attach: { path: string; owner: DropOwner }[];
  refused: { path: string; reason: string }[];
};

/**
 * Artwork goes to the release wherever it is dropped; audio to the track under the cursor.
 * Audio dropped elsewhere is refused rather than guessed: a master on the wrong track is
 * worse than none.
 */
export function planDrop(paths: readonly string[], releaseId: number, trackId: number | null): DropPlan {
  const plan: DropPlan = { attach: [], refused: [] };
  for (const path of paths) {
    if (isImagePath(path)) plan.attach.push({ path, owner: { kind: "Release", id: releaseId } });
    else if (trackId !== null) plan.attach.push({ path, owner: { kind: "Track", id: trackId } });
    else plan.refused.push({ path, reason: "drop audio onto a track" });
  }
  return plan;
}

/** The track id a drop target element stands for (`data-drop-track`), or null. */
export function dropTrackOf(element: Element | null): number | null {
  const target = element?.closest<HTMLElement>("[data-drop-track]");
  const raw = target?.dataset.dropTrack;
  const id = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(id) && id > 0 ? id : null;
}
