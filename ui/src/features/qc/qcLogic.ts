// Pure helpers of the QC panel: finding groups and filters, the waveform's SVG path and its
// silence/clipping markers, and the figures shown per file.
import type { FileQc, JobProgress, QcFinding, Severity, WaveBucket } from "../../lib/ipc/client";

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

/** Done as a percentage (0–100) of the job; 0 while the total is unknown. */
export function progressPercent(progress: Pick<JobProgress, "done" | "total"> | null): number {
  if (!progress || progress.total <= 0) return 0;
  return Math.min(100, Math.round((progress.done / progress.total) * 100));
}

/** The file name of a path (either separator). */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}
