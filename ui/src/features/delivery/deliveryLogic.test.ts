import { describe, expect, it } from "vitest";
import type { DdexFinding, DdexSettings } from "../../lib/ipc/client";
import {
  countFindings,
  findingAction,
  findingPlace,
  formErrors,
  formFromSettings,
  isDpid,
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
