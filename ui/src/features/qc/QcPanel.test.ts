import { afterEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import type { AssetOwner, AttachedAsset, FileDrag, FileQc, JobProgress, ReleaseQc } from "../../lib/ipc/client";

const listeners: ((p: JobProgress) => void)[] = [];
const stored = vi.fn<(releaseId: number, profileId: string) => Promise<ReleaseQc>>();
const start = vi.fn<(releaseId: number, profileId: string) => Promise<number>>();
const cancel = vi.fn<(id: number) => Promise<boolean>>();
const attachAsset = vi.fn<(owner: AssetOwner, path: string, profileId: string) => Promise<AttachedAsset>>();
const drops: ((d: FileDrag) => void)[] = [];
const toasts = vi.fn();

vi.mock("../../lib/ipc/client", () => ({
  api: {
    qcProfiles: () => Promise.resolve([{ id: "generic", name: "Generic" }]),
    getReleaseQc: stored,
    startReleaseQc: start,
    cancelJob: cancel,
    attachAsset,
  },
  assetUrl: (path: string) => `asset://${path}`,
  subscribeToJobs: (cb: (p: JobProgress) => void) => {
    listeners.push(cb);
    return () => listeners.splice(listeners.indexOf(cb), 1);
  },
  subscribeToFileDrops: (cb: (d: FileDrag) => void) => {
    drops.push(cb);
    return () => drops.splice(drops.indexOf(cb), 1);
  },
}));
vi.mock("../../components/ui/toaster.svelte", () => ({ toaster: { push: toasts } }));
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
  drops.length = 0;
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
    for (const l of listeners) l({ id: 9, kind: "qc_release", releaseId: 1, done: 1, total: 4, message: "/m/a.wav", state: "Running" });
    flushSync();
    expect(target.querySelector<HTMLProgressElement>('[data-testid="qc-progress"]')?.value).toBe(25);
    target.querySelector<HTMLButtonElement>('[data-testid="qc-cancel"]')?.click();
    await settle();
    expect(cancel).toHaveBeenCalledWith(9);
    stored.mockResolvedValue(qc([master]));
    for (const l of listeners) l({ id: 9, kind: "qc_release", releaseId: 1, done: 1, total: 4, message: "cancelled", state: "Cancelled" });
    await settle();
    expect(target.textContent).toContain("Cancelled.");
    expect(target.querySelectorAll('[data-testid="qc-file"]')).toHaveLength(1);
  });
});

const second: FileQc = {
  ...master,
  path: "/media/01-song-v2.wav",
  assetId: 3,
  audio: master.audio ? { ...master.audio, path: "/media/01-song-v2.wav", integrated_lufs: -8.2, duration_ms: 2000 } : null,
  findings: [],
};

const cover: FileQc = {
  ...master,
  path: "/media/cover.png",
  kind: "artwork",
  assetId: 4,
  trackId: null,
  audio: null,
  artwork: {
    path: "/media/cover.png",
    format: "png",
    width: 3000,
    height: 3000,
    findings: [],
  } as unknown as NonNullable<FileQc["artwork"]>,
  findings: [],
};

const tracks = [
  { id: 7, discNumber: 1, trackNumber: 1, title: "Song" },
  { id: 8, discNumber: 1, trackNumber: 2, title: "Other" },
] as never[];

describe("QcPanel player, artwork and drops", () => {
  it("switches A/B at the same position, loudness-matched, with the B key", async () => {
    stored.mockResolvedValue(qc([master, second]));
    const play = vi.spyOn(HTMLMediaElement.prototype, "play").mockResolvedValue(undefined);
    vi.spyOn(HTMLMediaElement.prototype, "pause").mockImplementation(() => undefined);
    const target = document.body.appendChild(document.createElement("div"));
    app = mount(QcPanel, { target, props: { releaseId: 1, tracks } });
    await settle();
    const ab = target.querySelector<HTMLButtonElement>('[data-testid="qc-ab"]');
    expect(ab?.disabled).toBe(true);
    const pickB = target.querySelector<HTMLSelectElement>('[data-testid="qc-b-file"]');
    if (!pickB) throw new Error("no B picker");
    pickB.value = "/media/01-song-v2.wav";
    pickB.dispatchEvent(new Event("change"));
    flushSync();
    const a = target.querySelector<HTMLAudioElement>('[data-testid="qc-player"]');
    const b = target.querySelector<HTMLAudioElement>('[data-testid="qc-player-b"]');
    if (!a || !b) throw new Error("no players");
    expect(b.getAttribute("src")).toBe("asset:///media/01-song-v2.wav");
    // B is 6 dB louder: it plays 6 dB down, A at full volume.
    expect(a.volume).toBe(1);
    expect(20 * Math.log10(b.volume)).toBeCloseTo(-6, 3);

    a.currentTime = 1.5;
    Object.defineProperty(a, "paused", { configurable: true, get: () => false });
    target.querySelector<HTMLElement>('[data-testid="qc-waveform"]')?.dispatchEvent(
      new KeyboardEvent("keydown", { key: "b", bubbles: true }),
    );
    flushSync();
    expect(b.currentTime).toBe(1.5);
    expect(play).toHaveBeenCalledTimes(1);
    expect(b.classList.contains("hidden")).toBe(false);
    expect(a.classList.contains("hidden")).toBe(true);
    expect(target.querySelector('[data-testid="qc-figures"]')?.textContent).toContain("B: 01-song-v2.wav");
    expect(target.querySelector('[data-testid="qc-figures"]')?.textContent).toContain("−8.2 LUFS");
  });

  it("cycles the loop through whole track and off, and loops the track natively", async () => {
    stored.mockResolvedValue(qc([master]));
    const target = document.body.appendChild(document.createElement("div"));
    app = mount(QcPanel, { target, props: { releaseId: 1, tracks } });
    await settle();
    const loop = target.querySelector<HTMLButtonElement>('[data-testid="qc-loop"]');
    const a = target.querySelector<HTMLAudioElement>('[data-testid="qc-player"]');
    expect(loop?.textContent).toContain("off");
    loop?.click();
    flushSync();
    expect(loop?.textContent).toContain("track");
    expect(a?.loop).toBe(true);
    loop?.click();
    flushSync();
    expect(loop?.textContent).toContain("off");
    expect(a?.loop).toBe(false);
  });

  it("zooms artwork to actual pixels", async () => {
    stored.mockResolvedValue(qc([cover]));
    const target = document.body.appendChild(document.createElement("div"));
    app = mount(QcPanel, { target, props: { releaseId: 1, tracks } });
    await settle();
    const img = target.querySelector<HTMLImageElement>('[data-testid="qc-artwork"]');
    expect(img?.style.width).toBe("");
    target.querySelector<HTMLButtonElement>('[data-testid="qc-art-actual"]')?.click();
    flushSync();
    expect(img?.style.width).toBe(`${3000 / (window.devicePixelRatio || 1)}px`);
    expect(img?.classList.contains("actual")).toBe(true);
  });

  it("filters findings to the selected file", async () => {
    stored.mockResolvedValue(qc([master, { ...second, findings: [{ rule_id: "AUD-B", severity: "warning", message: "b", measured: null, limit: null, fix_hint: null }] }]));
    const target = document.body.appendChild(document.createElement("div"));
    app = mount(QcPanel, { target, props: { releaseId: 1, tracks } });
    await settle();
    const codes = () => [...target.querySelectorAll(".group code")].map((c) => c.textContent);
    expect(codes().sort()).toEqual(["AUD-B", "AUD-CLIP", "AUD-DUR"]);
    target.querySelector<HTMLInputElement>('[data-testid="qc-only-selected"]')?.click();
    flushSync();
    expect(codes().sort()).toEqual(["AUD-CLIP", "AUD-DUR"]);
  });

  it("attaches a master dropped on a track and artwork to the release, then reloads when inspected", async () => {
    stored.mockResolvedValue(qc([]));
    attachAsset.mockImplementation((owner, path) =>
      Promise.resolve({
        asset: { id: 5, kind: "Audio", path, sha256: "x", sizeBytes: 1, releaseId: null, trackId: owner.id },
        jobId: owner.kind === "Track" ? 21 : 22,
      } as AttachedAsset),
    );
    const target = document.body.appendChild(document.createElement("div"));
    app = mount(QcPanel, { target, props: { releaseId: 1, tracks } });
    await settle();
    // jsdom has no layout: the element under the pointer is whatever the test says.
    document.elementFromPoint = () => null;
    for (const d of drops) d({ type: "over", x: 10, y: 10, paths: ["/new/02.wav"] });
    flushSync();
    const trackTarget = target.querySelector<HTMLElement>('[data-drop-track="8"]');
    if (!trackTarget) throw new Error("no drop target for track 8");
    document.elementFromPoint = () => trackTarget;
    for (const d of drops) d({ type: "over", x: 10, y: 10, paths: ["/new/02.wav"] });
    flushSync();
    expect(trackTarget.classList.contains("hover")).toBe(true);
    for (const d of drops) d({ type: "drop", x: 10, y: 10, paths: ["/new/02.wav", "/new/cover.jpg"] });
    await settle();
    await settle();
    expect(attachAsset).toHaveBeenCalledWith({ kind: "Track", id: 8 }, "/new/02.wav", "generic");
    expect(attachAsset).toHaveBeenCalledWith({ kind: "Release", id: 1 }, "/new/cover.jpg", "generic");
    expect(target.querySelector('[data-testid="qc-attaching"]')?.textContent).toContain("2 dropped files");
    const loads = stored.mock.calls.length;
    for (const l of listeners) l({ id: 21, kind: "qc_files", releaseId: null, done: 1, total: 1, message: "analysed", state: "Succeeded" });
    for (const l of listeners) l({ id: 22, kind: "qc_files", releaseId: 1, done: 1, total: 1, message: "analysed", state: "Succeeded" });
    await settle();
    expect(stored.mock.calls.length).toBeGreaterThan(loads);
    expect(target.querySelector('[data-testid="qc-attaching"]')).toBeNull();

    // Audio dropped outside any track is refused, not guessed.
    document.elementFromPoint = () => target.querySelector('[data-testid="qc-panel"]');
    attachAsset.mockClear();
    for (const d of drops) d({ type: "drop", x: 1, y: 1, paths: ["/new/03.wav"] });
    await settle();
    expect(attachAsset).not.toHaveBeenCalled();
    expect(toasts).toHaveBeenCalledWith(expect.objectContaining({ tone: "warning" }));
  });
});
