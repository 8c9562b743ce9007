import { describe, expect, it } from "vitest";
import type { DdexFinding, DdexSettings, SchemaOverview } from "../../lib/ipc/client";
import {
  countFindings,
  findingAction,
  findingPlace,
  formErrors,
  formFromSettings,
  isDpid,
  schemaSummary,
  settingsUpdate,
  sortFindings,
  storeFor,
} from "./deliveryLogic";

const finding = (over: Partial<DdexFinding>): DdexFinding => ({
  severity: "error",
  message: "m",
  field: "f",
  target: null,
  releaseId: 1,
  ...over,
});

const settings: DdexSettings = {
  senderDpid: "PADPIDA2014120301T",
  senderName: null,
  schemaDir: null,
  testMessages: false,
  recipients: [
    { profileId: "spotify", dpid: "PADPIDA2011072101T", name: null },
    { profileId: "youtube", dpid: null, name: null },
  ],
};

describe("findings", () => {
  it("map targets to editor actions", () => {
    expect(findingAction(finding({ target: { kind: "release", field: "upc" } }))).toEqual({
      kind: "release-field",
      field: "upc",
    });
    expect(findingAction(finding({ target: { kind: "release", field: "artwork" } }))).toEqual({
      kind: "release-section",
      field: "artwork",
    });
    expect(
      findingAction(finding({ target: { kind: "track", trackId: 7, position: 2, field: "isrc" } })),
    ).toEqual({ kind: "track", trackId: 7, field: "isrc" });
    expect(findingAction(finding({ target: { kind: "rights" } }))).toEqual({ kind: "rights" });
    expect(findingAction(finding({ target: null }))).toEqual({ kind: "none" });
  });

  it("name their place in words", () => {
    expect(findingPlace(finding({ target: { kind: "release", field: "genre" } }))).toBe("Genre");
    expect(findingPlace(finding({ target: { kind: "track", trackId: 7, position: 2, field: "isrc" } }))).toBe(
      "Track 2 · ISRC",
    );
    expect(findingPlace(finding({ target: { kind: "settings", field: "recipients.spotify.dpid" } }))).toBe(
      "DDEX settings · spotify recipient DPID",
    );
    expect(findingPlace(finding({ field: "xml:line 4" }))).toBe("xml:line 4");
  });

  it("sort errors first and count", () => {
    const list = [finding({ severity: "warning", message: "w1" }), finding({ message: "e1" }), finding({ severity: "warning", message: "w2" })];
    expect(sortFindings(list).map((f) => f.message)).toEqual(["e1", "w1", "w2"]);
    expect(countFindings(list)).toEqual({ errors: 1, warnings: 2 });
  });
});

describe("settings", () => {
  it("check DPIDs like core", () => {
    expect(isDpid("PADPIDA2014120301T")).toBe(true);
    expect(isDpid(" padpida2014120301t ")).toBe(true);
    expect(isDpid("PADPIDA12")).toBe(false);
    expect(isDpid("DPID2014120301TXX")).toBe(false);
  });

  it("send only what changed", () => {
    const before = formFromSettings(settings);
    const after = structuredClone(before);
    after.senderName = "Nightjar Records";
    after.recipients.youtube = { dpid: "PADPIDA2013020802I", name: "" };
    expect(settingsUpdate(before, after)).toEqual({
      senderDpid: null,
      senderName: "Nightjar Records",
      schemaDir: null,
      testMessages: null,
      recipients: [{ profileId: "youtube", dpid: "PADPIDA2013020802I", name: null }],
    });
    after.senderDpid = "";
    expect(settingsUpdate(before, after).senderDpid).toBe("");
  });

  it("flag bad DPIDs by field", () => {
    const form = formFromSettings(settings);
    form.recipients.youtube = { dpid: "nope", name: "" };
    expect(Object.keys(formErrors(form))).toEqual(["recipients.youtube.dpid"]);
  });

  it("use a typed store only for generic profiles", () => {
    const generic = {
      id: "generic-ern43",
      name: "Generic",
      ernVersion: "4.3",
      store: "any-store",
      storeSelectable: true,
      purgeAccepted: true,
      leadDaysNew: 0,
      leadDaysUpdate: 0,
      sources: "",
    };
    expect(storeFor(generic, " Deezer ")).toBe("deezer");
    expect(storeFor(generic, "")).toBeNull();
    expect(storeFor({ ...generic, storeSelectable: false }, "deezer")).toBeNull();
  });
});

describe("schema summary", () => {
  const set = (ern_version: string, state: "ready" | "missing" | "broken") => ({
    ern_version,
    folder: `/s/${ern_version}`,
    state,
    files: [],
    message: null,
  });
  const overview = (over: Partial<SchemaOverview>): SchemaOverview => ({
    in_use: "/s",
    source: "cache",
    cache_dir: "/cache",
    sets: [set("4.3", "ready"), set("3.8.2", "ready")],
    ...over,
  });

  it("says validation is off when no folder is found", () => {
    const s = schemaSummary(overview({ in_use: null, source: "none", sets: [set("4.3", "missing"), set("3.8.2", "missing")] }));
    expect(s.ready).toBe(false);
    expect(s.text).toContain("reference checks only");
  });

  it("names the versions whose schemas do not load", () => {
    const s = schemaSummary(overview({ source: "settings", sets: [set("4.3", "broken"), set("3.8.2", "ready")] }));
    expect(s).toEqual({ ready: false, text: "Schemas from the folder set here are unusable for ERN 4.3." });
  });

  it("names where working schemas come from", () => {
    expect(schemaSummary(overview({})).text).toBe("XSD validation uses the downloaded copy (/s).");
  });
});
