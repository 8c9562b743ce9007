// Display formatting. Pure functions; the backend stays the authority on validation.

/** 215000 → "3:35"; 3723000 → "1:02:03"; null → "". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "";
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const ss = String(seconds).padStart(2, "0");
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, "0")}:${ss}`;
  return `${minutes}:${ss}`;
}

/** Sum of durations, skipping unknown ones. */
export function totalDuration(items: readonly { durationMs: number | null }[]): number {
  return items.reduce((sum, t) => sum + (t.durationMs ?? 0), 0);
}

/** 1250 basis points → "12.5%"; 10000 → "100%"; 3333 → "33.33%". */
export function formatShare(basisPoints: number): string {
  const pct = basisPoints / 100;
  return `${Number.isInteger(pct) ? String(pct) : pct.toFixed(2).replace(/0+$/, "")}%`;
}

/**
 * "12.5", "12.5%", "12,5" → 1250 basis points. Returns null for anything that is not a
 * number between 0 and 100 with at most two decimals.
 */
export function parseSharePercent(text: string): number | null {
  const cleaned = text.trim().replace(/%$/, "").trim().replace(",", ".");
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(cleaned)) return null;
  const bp = Math.round(Number(cleaned) * 100);
  return bp >= 0 && bp <= 10000 ? bp : null;
}

export function sumShares(writers: readonly { shareBasisPoints: number }[]): number {
  return writers.reduce((sum, w) => sum + w.shareBasisPoints, 0);
}

/**
 * Groups a stored UPC/EAN for reading: UPC-A "012345678905" → "0 12345 67890 5",
 * EAN-13 "4006381333931" → "4 006381 333931". Anything else is returned unchanged.
 */
export function formatUpc(upc: string | null | undefined): string {
  if (!upc) return "";
  if (/^\d{12}$/.test(upc)) return `${upc[0]} ${upc.slice(1, 6)} ${upc.slice(6, 11)} ${upc[11]}`;
  if (/^\d{13}$/.test(upc)) return `${upc[0]} ${upc.slice(1, 7)} ${upc.slice(7)}`;
  return upc;
}

/** "USRC17607839" → "US-RC1-76-07839". Anything not 12 ISRC characters is returned unchanged. */
export function formatIsrc(isrc: string | null | undefined): string {
  if (!isrc) return "";
  const compact = isrc.replace(/-/g, "").toUpperCase();
  if (!/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(compact)) return isrc;
  return `${compact.slice(0, 2)}-${compact.slice(2, 5)}-${compact.slice(5, 7)}-${compact.slice(7)}`;
}

/** A rights line as edited: "2024 Acme Records"; null → "". */
export function rightsLineText(line: { year: number; holder: string } | null | undefined): string {
  return line ? `${line.year} ${line.holder}` : "";
}

/** Human label for an enum value: "ExplicitContentEdited" → "Explicit content edited". */
export function humanize(value: string): string {
  if (value === "EP") return "EP";
  const spaced = value
    .replace(/_/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const PLATFORM_NAMES: Record<string, string> = {
  spotify: "Spotify",
  apple_music: "Apple Music",
  amazon: "Amazon Music",
  deezer: "Deezer",
  youtube: "YouTube",
  tidal: "TIDAL",
  soundcloud: "SoundCloud",
  isni: "ISNI",
  ipi: "IPI",
  meta: "Meta",
  tiktok: "TikTok",
};

export function platformName(platform: string): string {
  return PLATFORM_NAMES[platform] ?? humanize(platform);
}

/** "12345" → "12,345" in the user's locale. */
export function formatCount(n: number): string {
  return n.toLocaleString();
}

/** Title with its version in parentheses, as shown in lists. */
export function titleWithVersion(title: string, version: string | null | undefined): string {
  return version ? `${title} (${version})` : title;
}

/** Last path segment, for showing a catalog file name. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/** Done as a percentage (0–100) of a job; 0 while its total is unknown. */
export function progressPercent(progress: { done: number; total: number } | null): number {
  if (!progress || progress.total <= 0) return 0;
  return Math.min(100, Math.round((progress.done / progress.total) * 100));
}
