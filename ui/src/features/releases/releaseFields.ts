// The string form of each Release field, as sent to / accepted by setReleaseField.
import type { Release } from "../../lib/ipc/client";
import { rightsLineText } from "../../lib/format";

export const RELEASE_FIELDS = [
  "title",
  "version",
  "display_artist",
  "release_type",
  "label_id",
  "upc",
  "catalog_number",
  "p_line",
  "c_line",
  "release_date",
  "original_release_date",
  "genre",
  "subgenre",
  "parental_advisory",
  "metadata_language",
] as const;

export type ReleaseField = (typeof RELEASE_FIELDS)[number];

export const RELEASE_FIELD_LABELS: Record<ReleaseField, string> = {
  title: "Title",
  version: "Version",
  display_artist: "Display artist",
  release_type: "Type",
  label_id: "Label",
  upc: "UPC / EAN",
  catalog_number: "Catalog no.",
  p_line: "℗ line",
  c_line: "© line",
  release_date: "Release date",
  original_release_date: "Original release",
  genre: "Genre",
  subgenre: "Subgenre",
  parental_advisory: "Parental advisory",
  metadata_language: "Metadata language",
};

export function localizedTitleField(language: string): string {
  return `title@${language}`;
}

/** Current value of `field` (including `title@<lang>`) as an editable string. */
export function releaseFieldValue(r: Release, field: string): string {
  if (field.startsWith("title@")) {
    const lang = field.slice("title@".length);
    return r.localizedTitles.find((t) => t.language === lang)?.title ?? "";
  }
  switch (field as ReleaseField) {
    case "title":
      return r.title;
    case "version":
      return r.version ?? "";
    case "display_artist":
      return r.displayArtist;
    case "release_type":
      return r.releaseType;
    case "label_id":
      return String(r.labelId);
    case "upc":
      return r.upc ?? "";
    case "catalog_number":
      return r.catalogNumber ?? "";
    case "p_line":
      return rightsLineText(r.pLine);
    case "c_line":
      return rightsLineText(r.cLine);
    case "release_date":
      return r.releaseDate ?? "";
    case "original_release_date":
      return r.originalReleaseDate ?? "";
    case "genre":
      return r.genre ?? "";
    case "subgenre":
      return r.subgenre ?? "";
    case "parental_advisory":
      return r.parentalAdvisory;
    case "metadata_language":
      return r.metadataLanguage ?? "";
    default:
      return "";
  }
}
