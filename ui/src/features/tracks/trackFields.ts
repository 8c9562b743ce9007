// The string form of each Track field, as sent to / accepted by setTrackField.
import type { Track } from "../../lib/ipc/client";
import { formatDuration } from "../../lib/format";

export const TRACK_FIELDS = [
  "title",
  "version",
  "display_artist",
  "isrc",
  "duration",
  "explicit",
  "audio_language",
] as const;

export type TrackField = (typeof TRACK_FIELDS)[number];

export const TRACK_FIELD_LABELS: Record<TrackField, string> = {
  title: "Title",
  version: "Version",
  display_artist: "Display artist",
  isrc: "ISRC",
  duration: "Duration",
  explicit: "Explicit",
  audio_language: "Audio language",
};

/**
 * Current value of `field` (including `title@<lang>`). `exact` gives the lossless form used to
 * undo (duration in ms); otherwise the form shown in the input (duration as m:ss).
 */
export function trackFieldValue(t: Track, field: string, exact = false): string {
  if (field.startsWith("title@")) {
    const lang = field.slice("title@".length);
    return t.localizedTitles.find((x) => x.language === lang)?.title ?? "";
  }
  switch (field as TrackField) {
    case "title":
      return t.title;
    case "version":
      return t.version ?? "";
    case "display_artist":
      return t.displayArtist;
    case "isrc":
      return t.isrc ?? "";
    case "duration":
      if (t.durationMs === null) return "";
      return exact ? String(t.durationMs) : formatDuration(t.durationMs);
    case "explicit":
      return t.explicit ? "true" : "false";
    case "audio_language":
      return t.audioLanguage ?? "";
    default:
      return "";
  }
}
