import { describe, expect, it } from "vitest";
import type { FileQc, QcFinding, Severity } from "../../lib/ipc/client";
import {
  clipMarkers,
  countSeverities,
  dropTrackOf,
  fileName,
  formatFormat,
  formatLevel,
  formatTime,
  groupFindings,
  loopJump,
  loopStart,
  matchedVolumes,
  planDrop,
  regionFromDrag,
  silenceSpans,
  switchPosition,
  waveformPath,
  worstSeverity,
} from "./qcLogic";

const finding = (rule_id: string, severity: Severity): QcFinding => ({
  rule_id,
  severity,
  message: `${rule_id} message`,
  measured: null,
  limit: null,
  fix_hint: null,
});

const file = (findings: QcFinding[]): FileQc => ({
  path: "/m/a.wav",
  kind: "audio",
  assetId: 1,
  trackId: 2,
  sha256: null,
  md5: null,
  sizeBytes: null,
  cached: false,
  analyzedAt: null,
  audio: null,
  artwork: null,
  findings,
  error: null,
});

describe("groupFindings", () => {
  const all = [finding("A", "info"), finding("B", "error"), finding("C", "warning"), finding("D", "error")];

  it("groups errors first and keeps the order within a severity", () => {
    const groups = groupFindings(all, new Set<Severity>(["error", "warning", "info"]));
    expect(groups.map((g) => g.severity)).toEqual(["error", "warning", "info"]);
    expect(groups[0]?.findings.map((f) => f.rule_id)).toEqual(["B", "D"]);
  });

  it("drops filtered-out and empty severities", () => {
    expect(groupFindings(all, new Set<Severity>(["warning"])).map((g) => g.severity)).toEqual(["warning"]);
    expect(groupFindings([finding("A", "info")], new Set<Severity>(["error", "info"]))).toHaveLength(1);
  });
});

describe("counts and worst severity", () => {
  it("counts over files and finds the worst", () => {
    const files = [file([finding("A", "warning")]), file([finding("B", "error"), finding("C", "warning")])];
    expect(countSeverities(files)).toEqual({ error: 1, warning: 2, info: 0 });
    expect(worstSeverity(file([finding("A", "warning")]))).toBe("warning");
    expect(worstSeverity(file([]))).toBeNull();
  });
});

describe("waveformPath", () => {
  it("is empty without buckets or room", () => {
    expect(waveformPath([], 100, 40)).toBe("");
    expect(waveformPath([{ min: -1, max: 1, rms: 0.5 }], 0, 40)).toBe("");
  });

  it("draws tops then bottoms, centred per bucket and clamped", () => {
    const path = waveformPath(
      [
        { min: -0.5, max: 0.5, rms: 0.3 },
        { min: -2, max: 2, rms: 1 },
      ],
      100,
      40,
    );
    expect(path).toBe("M25,10L75,0L75,40L25,30Z");
  });
});

describe("markers", () => {
  it("places leading and trailing silence", () => {
    expect(silenceSpans(10_000, 1_000, 2_000, 100)).toEqual([
      { x: 0, width: 10 },
      { x: 80, width: 20 },
    ]);
    expect(silenceSpans(10_000, 0, 0, 100)).toEqual([]);
    expect(silenceSpans(0, 10, 10, 100)).toEqual([]);
  });

  it("merges clipping runs that would overlap", () => {
    const runs = [{ position_ms: 5_000 }, { position_ms: 1_000 }, { position_ms: 1_010 }, { position_ms: null }];
    expect(clipMarkers(runs, 10_000, 100)).toEqual([10, 50]);
  });
});

describe("formatting", () => {
  it("formats levels, formats and progress", () => {
    expect(formatLevel(-14.04, "LUFS")).toBe("−14.0 LUFS");
    expect(formatLevel(null, "dBTP")).toBe("−∞ dBTP");
    expect(formatFormat(44_100, 24, 2)).toBe("44.1 kHz / 24-bit / 2 ch");
    expect(formatFormat(48_000, null, 2)).toBe("48 kHz / lossy / 2 ch");
    expect(fileName("/a/b/c.wav")).toBe("c.wav");
    expect(fileName("C:\\x\\y.png")).toBe("y.png");
  });
});

describe("loops, A/B and drops", () => {
  it("turns a long enough drag into a loop, either direction", () => {
    expect(regionFromDrag(0.5, 0.25, 4000)).toEqual({ startMs: 1000, endMs: 2000 });
    expect(regionFromDrag(-1, 2, 4000)).toEqual({ startMs: 0, endMs: 4000 });
    expect(regionFromDrag(0.5, 0.52, 4000)).toBeNull();
    expect(regionFromDrag(0, 1, 0)).toBeNull();
  });

  it("jumps back to the loop start when playback crosses its end, not after a seek past it", () => {
    const region = { startMs: 1000, endMs: 2000 };
    expect(loopJump(1400, 1500, region)).toBeNull();
    expect(loopJump(1990, 2010, region)).toBe(1000);
    expect(loopJump(300, 2500, region)).toBe(1000);
    expect(loopJump(2500, 2600, region)).toBeNull();
    expect(loopJump(1990, 2500, null)).toBeNull();
    expect(loopStart(1500, region)).toBeNull();
    expect(loopStart(2000, region)).toBe(1000);
    expect(loopStart(0, region)).toBe(1000);
  });

  it("turns the louder master down by the loudness difference", () => {
    const { a, b } = matchedVolumes(-8, -14);
    expect(b).toBe(1);
    expect(20 * Math.log10(a)).toBeCloseTo(-6, 6);
    expect(matchedVolumes(null, -14)).toEqual({ a: 1, b: 1 });
    expect(matchedVolumes(-14, -14)).toEqual({ a: 1, b: 1 });
  });

  it("continues the other master at the same position, within its length", () => {
    expect(switchPosition(5000, 10_000)).toBe(5000);
    expect(switchPosition(12_000, 10_000)).toBe(10_000);
    expect(switchPosition(-3, null)).toBe(0);
    expect(formatTime(65_250)).toBe("1:05.250");
  });

  it("sends artwork to the release and audio to the track under the cursor", () => {
    const plan = planDrop(["/in/Cover.JPG", "/in/01.wav", "/in/noext"], 3, 7);
    expect(plan.attach).toEqual([
      { path: "/in/Cover.JPG", owner: { kind: "Release", id: 3 } },
      { path: "/in/01.wav", owner: { kind: "Track", id: 7 } },
      { path: "/in/noext", owner: { kind: "Track", id: 7 } },
    ]);
    const nowhere = planDrop(["C:\\in\\02.flac", "C:\\in\\back.png"], 3, null);
    expect(nowhere.refused).toEqual([{ path: "C:\\in\\02.flac", reason: "drop audio onto a track" }]);
    expect(nowhere.attach).toEqual([{ path: "C:\\in\\back.png", owner: { kind: "Release", id: 3 } }]);
  });

  it("reads the track a drop target stands for", () => {
    document.body.innerHTML = '<div data-drop-track="12"><span id="inner"></span></div><p id="out"></p>';
    expect(dropTrackOf(document.getElementById("inner"))).toBe(12);
    expect(dropTrackOf(document.getElementById("out"))).toBeNull();
    expect(dropTrackOf(null)).toBeNull();
    document.body.innerHTML = "";
  });
});
