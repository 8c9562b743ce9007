import { afterEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import type { DdexExportRecord, DdexMessage } from "../../lib/ipc/client";

const preview = vi.fn<(releaseId: number, options: unknown) => Promise<DdexMessage>>();
const lastExport = vi.fn<(releaseId: number, profileId: string) => Promise<DdexExportRecord | null>>();

vi.mock("../../lib/ipc/client", () => ({
  api: {
    ddexProfiles: () =>
      Promise.resolve([{ id: "spotify", name: "Spotify", ernVersion: "4.3", store: "spotify", storeSelectable: false }]),
    previewDdex: preview,
    lastDdexExport: lastExport,
    getDdexSettings: () => Promise.resolve({ senderDpid: null, senderName: null, schemaDir: null, testMessages: false, recipients: [] }),
  },
  pickExportFolder: () => Promise.resolve(null),
  isIpcFailure: () => false,
}));
vi.mock("../../lib/errors", () => ({ reportError: vi.fn() }));

const { default: DeliveryPanel } = await import("./DeliveryPanel.svelte");

const xml = (title: string) =>
  [
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<ern:NewReleaseMessage>",
    "  <MessageHeader><MessageId>M1</MessageId></MessageHeader>",
    `  <TitleText>${title}</TitleText>`,
    "</ern:NewReleaseMessage>",
  ].join("\n");

const message = (body: string): DdexMessage => ({
  releaseId: 1,
  profileId: "spotify",
  ernVersion: "4.3",
  store: "spotify",
  messageId: "M1",
  created: "2026-01-01T00:00:00Z",
  xml: body,
  findings: [],
});

const exported = (body: string): DdexExportRecord => ({
  releaseId: 1,
  profileId: "spotify",
  store: "spotify",
  batchId: "B1",
  messageId: "M0",
  exportedAt: "2026-01-05T10:00:00.000Z",
  xml: body,
});

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

async function settle() {
  for (let i = 0; i < 8; i++) await Promise.resolve();
  flushSync();
}

async function checked(current: string, last: DdexExportRecord | null): Promise<HTMLElement> {
  preview.mockResolvedValue(message(current));
  lastExport.mockResolvedValue(last);
  const target = document.body.appendChild(document.createElement("div"));
  app = mount(DeliveryPanel, { target, props: { releaseId: 1, onopentrack: vi.fn(), onopenrights: vi.fn() } });
  await settle();
  target.querySelector<HTMLButtonElement>('[data-testid="delivery-check"]')?.click();
  await settle();
  return target;
}

describe("DeliveryPanel XML preview and changes", () => {
  it("highlights the message as text, never as markup", async () => {
    const target = await checked(xml("<script>alert(1)</script> &amp; more"), null);
    expect(lastExport).toHaveBeenCalledWith(1, "spotify");
    expect(target.querySelector('[data-testid="delivery-since"]')?.textContent).toContain("Never exported");
    target.querySelector("details")?.setAttribute("open", "");
    target.querySelector("details")?.dispatchEvent(new Event("toggle"));
    await settle();
    const pre = target.querySelector('[data-testid="delivery-xml"]');
    expect(pre?.querySelector("script")).toBeNull();
    expect(pre?.textContent).toContain("<script>alert(1)</script> &amp; more");
    expect([...(pre?.querySelectorAll(".x-tag") ?? [])].map((t) => t.textContent)).toContain("ern:NewReleaseMessage");
    expect(pre?.querySelector(".x-entity")?.textContent).toBe("&amp;");
  });

  it("shows the changed lines since the last export, coloured by kind", async () => {
    const target = await checked(xml("Gold"), exported(xml("Blue")));
    expect(target.querySelector('[data-testid="delivery-since"]')?.textContent).toContain("+1 −1 lines");
    [...target.querySelectorAll<HTMLButtonElement>('[data-testid="delivery-since"] button')][0]?.click();
    await settle();
    const diff = target.querySelector('[data-testid="delivery-diff"]');
    const lines = [...(diff?.querySelectorAll<HTMLElement>("[data-op]") ?? [])];
    expect(lines.filter((l) => l.dataset.op === "removed").map((l) => l.textContent)).toEqual([
      expect.stringContaining("<TitleText>Blue</TitleText>"),
    ]);
    expect(lines.filter((l) => l.dataset.op === "added").map((l) => l.textContent)).toEqual([
      expect.stringContaining("<TitleText>Gold</TitleText>"),
    ]);
  });

  it("says so when nothing changed since the last export", async () => {
    const target = await checked(xml("Blue"), exported(xml("Blue")));
    expect(target.querySelector('[data-testid="delivery-since"]')?.textContent).toContain(
      "No changes since the last export",
    );
    expect(target.querySelector('[data-testid="delivery-since"]')?.textContent).toContain("batch B1");
  });
});
