// Pure logic of the Delivery section: what clicking a DDEX finding does, how findings are
// ordered and labelled, DPID checks mirroring core's, and settings-form diffs.
import type { DdexFinding, DdexProfileInfo, DdexSettings, DdexSettingsUpdate, SchemaOverview } from "../../lib/ipc/client";
import { RELEASE_FIELDS, RELEASE_FIELD_LABELS, type ReleaseField } from "../releases/releaseFields";

/** What the editor does when a finding is clicked. */
export type FindingAction =
  | { kind: "release-field"; field: ReleaseField }
  | { kind: "release-section"; field: string }
  | { kind: "track"; trackId: number; field: string }
  | { kind: "rights" }
  | { kind: "settings"; field: string }
  | { kind: "label"; labelId: number }
  | { kind: "none" };

function isReleaseField(field: string): field is ReleaseField {
  return (RELEASE_FIELDS as readonly string[]).includes(field);
}

export function findingAction(f: DdexFinding): FindingAction {
  const t = f.target;
  if (t === null) return { kind: "none" };
  switch (t.kind) {
    case "release":
      return isReleaseField(t.field) ? { kind: "release-field", field: t.field } : { kind: "release-section", field: t.field };
    case "track":
      return { kind: "track", trackId: t.trackId, field: t.field };
    case "rights":
      return { kind: "rights" };
    case "settings":
      return { kind: "settings", field: t.field };
    case "label":
      return { kind: "label", labelId: t.labelId };
  }
}

const TRACK_FIELD_LABELS: Record<string, string> = {
  isrc: "ISRC",
  duration_ms: "Duration",
  number: "Position",
  audio: "Audio file",
  audio_language: "Audio language",
  localized_titles: "Localized titles",
};

const SETTINGS_LABELS: Record<string, string> = {
  sender_dpid: "Sender DPID",
  sender_name: "Sender name",
  schema_dir: "Schema folder",
};

function words(field: string): string {
  const s = field.replaceAll("_", " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Where a finding points, in words: "Track 2 · ISRC", "UPC", "DDEX settings · Sender DPID". */
export function findingPlace(f: DdexFinding): string {
  const t = f.target;
  if (t === null) return f.field;
  switch (t.kind) {
    case "release":
      return isReleaseField(t.field) ? RELEASE_FIELD_LABELS[t.field] : words(t.field);
    case "track":
      return `Track ${t.position} · ${TRACK_FIELD_LABELS[t.field] ?? words(t.field)}`;
    case "rights":
      return "Territories & rights";
    case "label":
      return "Label DPID";
    case "settings": {
      const recipient = /^recipients\.([^.]+)\.(dpid|name)$/.exec(t.field);
      if (recipient) return `DDEX settings · ${recipient[1]} recipient ${recipient[2] === "dpid" ? "DPID" : "name"}`;
      return `DDEX settings · ${SETTINGS_LABELS[t.field] ?? words(t.field)}`;
    }
  }
}

/** Errors first, then warnings; stable within each. */
export function sortFindings(findings: readonly DdexFinding[]): DdexFinding[] {
  const rank = (f: DdexFinding) => (f.severity === "error" ? 0 : 1);
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f);
}

export function countFindings(findings: readonly DdexFinding[]): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.severity === "error").length;
  return { errors, warnings: findings.length - errors };
}

/** `PADPIDA` + 11 letters or digits, as core checks it (case-insensitive; stored upper-case). */
export function isDpid(raw: string): boolean {
  return /^PADPIDA[A-Z0-9]{11}$/.test(raw.trim().toUpperCase());
}

/** The store a profile's deals follow, given what the user typed for generic profiles. */
export function storeFor(profile: DdexProfileInfo | undefined, typed: string): string | null {
  if (!profile?.storeSelectable) return null;
  const s = typed.trim().toLowerCase();
  return s === "" ? null : s;
}

/** The settings dialog's editable values. */
export interface SettingsForm {
  senderDpid: string;
  senderName: string;
  schemaDir: string;
  testMessages: boolean;
  recipients: Record<string, { dpid: string; name: string }>;
}

export function formFromSettings(s: DdexSettings): SettingsForm {
  const recipients: SettingsForm["recipients"] = {};
  for (const r of s.recipients) recipients[r.profileId] = { dpid: r.dpid ?? "", name: r.name ?? "" };
  return {
    senderDpid: s.senderDpid ?? "",
    senderName: s.senderName ?? "",
    schemaDir: s.schemaDir ?? "",
    testMessages: s.testMessages,
    recipients,
  };
}

/** Only what changed (empty string clears a value), as `setDdexSettings` expects. */
export function settingsUpdate(before: SettingsForm, after: SettingsForm): DdexSettingsUpdate {
  const changed = (a: string, b: string) => (a.trim() === b.trim() ? null : b.trim());
  const recipients = Object.entries(after.recipients).flatMap(([profileId, r]) => {
    const old = before.recipients[profileId] ?? { dpid: "", name: "" };
    const dpid = changed(old.dpid, r.dpid);
    const name = changed(old.name, r.name);
    return dpid === null && name === null ? [] : [{ profileId, dpid, name }];
  });
  return {
    senderDpid: changed(before.senderDpid, after.senderDpid),
    senderName: changed(before.senderName, after.senderName),
    schemaDir: changed(before.schemaDir, after.schemaDir),
    testMessages: before.testMessages === after.testMessages ? null : after.testMessages,
    recipients,
  };
}

/** Field errors a form shows before saving (the backend checks again). */
export function formErrors(form: SettingsForm): Record<string, string> {
  const errors: Record<string, string> = {};
  const check = (key: string, value: string) => {
    if (value.trim() !== "" && !isDpid(value)) errors[key] = "Expected PADPIDA followed by 11 letters or digits";
  };
  check("sender_dpid", form.senderDpid);
  for (const [profileId, r] of Object.entries(form.recipients)) check(`recipients.${profileId}.dpid`, r.dpid);
  return errors;
}

const SCHEMA_SOURCES: Record<SchemaOverview["source"], string> = {
  settings: "the folder set here",
  environment: "CATNO_DDEX_SCHEMAS",
  cache: "the downloaded copy",
  none: "",
};

/** One line on whether XSD validation runs, and from where. */
export function schemaSummary(o: SchemaOverview): { ready: boolean; text: string } {
  if (o.source === "none" || o.in_use === null) {
    return { ready: false, text: "No XSD schemas: messages get reference checks only. Set a folder or download them." };
  }
  const broken = o.sets.filter((s) => s.state !== "ready").map((s) => `ERN ${s.ern_version}`);
  if (broken.length > 0) {
    return { ready: false, text: `Schemas from ${SCHEMA_SOURCES[o.source]} are unusable for ${broken.join(" and ")}.` };
  }
  return { ready: true, text: `XSD validation uses ${SCHEMA_SOURCES[o.source]} (${o.in_use}).` };
}
