import { afterEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import type { FileQc, JobProgress, ReleaseQc } from "../../lib/ipc/client";

const listeners: ((p: JobProgress) => void)[] = [];
const stored = vi.fn<(releaseId: number, profileId: string) => Promise<ReleaseQc>>();
const start = vi.fn<(releaseId: number, profileId: string) => Promise<number>>();
const cancel = vi.fn<(id: number) => Promise<boolean>>();

vi.mock("../../lib/ipc/client", () => ({
  api: {
    qcProfiles: () => Promise.resolve([{ id: "generic", name: "Generic" }]),
    getReleaseQc: stored,
    startReleaseQc: start,
    cancelJob: cancel,
  },
  assetUrl: (path: string) => `asset://${path}`,
  subscribeToJobs: (cb: (p: JobProgress) => void) => {
    listeners.push(cb);
    return () => listeners.splice(listeners.indexOf(cb), 1);
  },
}));
vi.mock("../../lib/errors", () => ({ reportError: vi.fn() }));

const { default: QcPanel } = await import("./QcPanel.svelte");

const master: FileQc = {
  path: "/media/01-song.wav",
  kind: "audio",
  assetId: 2,
  trackId: 7,
  sha256: "s",
  md5: "0123456789abcdef0123456789abcdef",
  sizeBytes: 10,
  cached: true,
  analyzedAt: "2026-01-01T00:00:00Z",
  audio: {
    path: "/media/01-song.wav",
    file_size: 10,
    container: "wav",
    codec: "pcm_s16le",
    lossless: true,
    float: false,
    sample_rate: 44_100,
    bit_depth: 16,
    channels: 2,
    frames: 132_300,
    duration_ms: 3000,
    integrated_lufs: -14.2,
    loudness_range_lu: null,
    max_momentary_lufs: null,
    max_short_term_lufs: null,
    sample_peak_dbfs: -3,
    true_peak_dbtp: -2.9,
    true_peak_oversampling: 4,
    clipping: { runs: 1, clipped_samples: 3, first_runs: [{ channel: 0, position_ms: 1500, length: 3 }] },
    silence_threshold_dbfs: -60,
    leading_silence_ms: 0,
    trailing_silence_ms: 0,
    channel_stats: [],
    stereo: null,
    spectrum: {} as never,
    wav: null,
    immersive: false,
    md5: "0123456789abcdef0123456789abcdef",
    sha256: "s",
    waveform: [
      { min: -0.5, max: 0.5, rms: 0.3 },
      { min: -1, max: 1, rms: 0.7 },
    ],
    findings: [],
  },
  artwork: null,
  findings: [
    { rule_id: "AUD-DUR", severity: "warning", message: "short", measured: null, limit: null, fix_hint: null },
    { rule_id: "AUD-CLIP", severity: "error", message: "clipped", measured: null, limit: null, fix_hint: null },
  ],
  error: null,
};

const qc = (files: FileQc[]): ReleaseQc => ({
  releaseId: 1,
  profileId: "generic",
  files,
  analyzed: 0,
  cached: files.length,
  cancelled: false,
});

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  listeners.length = 0;
  vi.clearAllMocks();
});

async function settle() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  flushSync();
}

describe("QcPanel", () => {
  it("shows stored figures, grouped findings, the waveform and a player", async () => {
    stored.mockResolvedValue(qc([master]));
    const target = document.body.appendChild(document.createElement("div"));
    app = mount(QcPanel, { target, props: { releaseId: 1, tracks: [] } });
    await settle();
    expect(target.querySelectorAll('[data-testid="qc-file"]')).toHaveLength(1);
    expect(target.textContent).toContain("44.1 kHz / 16-bit / 2 ch");
    expect(target.textContent).toContain("−14.2 LUFS");
    const headings = [...target.querySelectorAll("h4")].map((h) => h.textContent.trim());
    expect(headings).toEqual(["errors (1)", "warnings (1)"]);
    expect(target.querySelector('[data-testid="qc-waveform"] .clip')).not.toBeNull();
    expect(target.querySelector('[data-testid="qc-player"]')?.getAttribute("src")).toBe(
      "asset:///media/01-song.wav",
    );

    const errorsOnly = target.querySelectorAll<HTMLInputElement>(".counts input");
    errorsOnly[1]?.click();
    flushSync();
    expect([...target.querySelectorAll("h4")].map((h) => h.textContent.trim())).toEqual(["errors (1)"]);
  });

  it("runs QC as a job with progress and cancel, then reloads", async () => {
    stored.mockResolvedValue(qc([]));
    start.mockResolvedValue(9);
    cancel.mockResolvedValue(true);
    const target = document.body.appendChild(document.createElement("div"));
    app = mount(QcPanel, { target, props: { releaseId: 1, tracks: [] } });
    await settle();
    target.querySelector<HTMLButtonElement>('[data-testid="qc-run"]')?.click();
    await settle();
    expect(start).toHaveBeenCalledWith(1, "generic");
    for (const l of listeners) l({ id: 9, kind: "qc_release", done: 1, total: 4, message: "/m/a.wav", state: "Running" });
    flushSync();
    expect(target.querySelector<HTMLProgressElement>('[data-testid="qc-progress"]')?.value).toBe(25);
    target.querySelector<HTMLButtonElement>('[data-testid="qc-cancel"]')?.click();
    await settle();
    expect(cancel).toHaveBeenCalledWith(9);
    stored.mockResolvedValue(qc([master]));
    for (const l of listeners) l({ id: 9, kind: "qc_release", done: 1, total: 4, message: "cancelled", state: "Cancelled" });
    await settle();
    expect(target.textContent).toContain("Cancelled.");
    expect(target.querySelectorAll('[data-testid="qc-file"]')).toHaveLength(1);
  });
});
