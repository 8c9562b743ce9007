import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockConvertFileSrc, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import {
  CATALOG_CHANGED_EVENT,
  IpcFailure,
  api,
  assetUrl,
  isIpcFailure,
  pickBackupPath,
  pickCatalogToOpen,
  pickNewCatalogPath,
  subscribeToChanges,
  toFailure,
  unwrap,
  type CatalogChanged,
} from "./client";

afterEach(() => {
  clearMocks();
});

const release = {
  id: 1,
  labelId: 2,
  labelName: "Acme",
  title: "Blue",
  version: null,
  displayArtist: "Band",
  localizedTitles: [],
  releaseType: "Album",
  upc: null,
  catalogNumber: null,
  pLine: null,
  cLine: null,
  genre: null,
  subgenre: null,
  releaseDate: null,
  originalReleaseDate: null,
  parentalAdvisory: "NotExplicit",
  metadataLanguage: null,
  status: "Draft",
  artists: [],
  updatedAt: "2024-01-01T00:00:00Z",
};

/** Tauri rejects a failed command with the plain serialized error object, not an Error. */
function rejectWith(payload: unknown): never {
  throw payload;
}

async function failureOf(p: Promise<unknown>): Promise<IpcFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof IpcFailure) return e;
    throw new Error(`expected IpcFailure, got ${String(e)}`, { cause: e });
  }
  throw new Error("expected the call to fail");
}

describe("client over mocked IPC", () => {
  it("unwraps an ok Result into its value and sends the right command and args", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "set_release_field") return { ...release, title: "Red" };
      return null;
    });
    const r = await api.setReleaseField(1, "title", "Red");
    expect(r.title).toBe("Red");
    expect(calls).toEqual([["set_release_field", { id: 1, field: "title", value: "Red" }]]);
  });

  it("throws IpcFailure carrying code, message and field for a backend error", async () => {
    mockIPC((cmd) => {
      if (cmd === "set_release_field") {
        // What Tauri delivers when the Rust command returns Err(IpcError).
        rejectWith({ code: "Invalid", message: "UPC must have 12 or 13 digits", field: "upc" });
      }
      return null;
    });
    const f = await failureOf(api.setReleaseField(1, "upc", "123"));
    expect(f.code).toBe("Invalid");
    expect(f.message).toBe("UPC must have 12 or 13 digits");
    expect(f.field).toBe("upc");
    expect(f.command).toBe("setReleaseField");
    expect(isIpcFailure(f, "Invalid")).toBe(true);
    expect(isIpcFailure(f, "NotFound")).toBe(false);
  });

  it("normalizes a missing or empty field to null", async () => {
    mockIPC(() => {
      rejectWith({ code: "NotFound", message: "Release 9 not found" });
    });
    const f = await failureOf(api.getRelease(9));
    expect(f).toMatchObject({ code: "NotFound", field: null });
  });

  it("turns a transport Error into an Internal failure", async () => {
    mockIPC(() => {
      throw new TypeError("IPC unavailable");
    });
    const f = await failureOf(api.listLabels());
    expect(f).toMatchObject({ code: "Internal", message: "IPC unavailable" });
  });

  it("handles infallible commands generated as plain values, and their rejections", async () => {
    const options = { releaseTypes: ["Album"], parentalAdvisories: [], contributorRoles: [], writerRoles: [], dspPlatforms: [] };
    mockIPC((cmd) => (cmd === "field_options" ? options : null));
    await expect(api.fieldOptions()).resolves.toEqual(options);
    mockIPC(() => {
      rejectWith({ code: "Io", message: "disk", field: null });
    });
    const f = await failureOf(api.fieldOptions());
    expect(f.code).toBe("Io");
  });

  it("maps listReleases paging arguments", async () => {
    mockIPC((cmd, args) => {
      expect(cmd).toBe("list_releases");
      const q = (args as { query: { offset: number; limit: number } }).query;
      return { items: [], offset: q.offset, total: 100_000 };
    });
    const page = await api.listReleases({ labelId: null, offset: 300, limit: 100 });
    expect(page).toEqual({ items: [], offset: 300, total: 100_000 });
  });

  it("resolves void commands to undefined", async () => {
    mockIPC(() => null);
    await expect(api.backupCatalog("/tmp/b.sqlite")).resolves.toBeUndefined();
  });
});

describe("unwrap / toFailure", () => {
  it("unwraps both Result shapes and plain values", async () => {
    await expect(unwrap(Promise.resolve({ status: "ok" as const, data: 5 }))).resolves.toBe(5);
    await expect(unwrap(Promise.resolve("plain"))).resolves.toBe("plain");
    const f = await failureOf(
      unwrap(Promise.resolve({ status: "error" as const, error: { code: "Conflict", message: "m", field: null } }), "x"),
    );
    expect(f).toMatchObject({ code: "Conflict", message: "m", command: "x" });
  });

  it("never trusts an unknown code", () => {
    expect(toFailure({ code: "Weird", message: "?" }).code).toBe("Internal");
    expect(toFailure("text").message).toBe("text");
    expect(toFailure(undefined).code).toBe("Internal");
  });
});

describe("subscribeToChanges", () => {
  it("delivers catalogChanged payloads until unsubscribed", async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const seen: CatalogChanged[] = [];
    const stop = subscribeToChanges((c) => seen.push(c));
    await vi.waitFor(async () => {
      await emit(CATALOG_CHANGED_EVENT, { entity: "Release", ids: [1, 2] });
      expect(seen.length).toBeGreaterThan(0);
    });
    expect(seen[0]).toEqual({ entity: "Release", ids: [1, 2] });
    const count = seen.length;
    stop();
    await emit(CATALOG_CHANGED_EVENT, { entity: "Track", ids: [3] });
    expect(seen).toHaveLength(count);
  });

  it("does not throw outside Tauri", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(() => subscribeToChanges(() => {})()).not.toThrow();
    warn.mockRestore();
  });
});

describe("assets and dialogs", () => {
  it("converts a file path to an asset URL", () => {
    mockConvertFileSrc("linux");
    expect(assetUrl("/music/cover art.jpg")).toBe("asset://localhost/%2Fmusic%2Fcover%20art.jpg");
  });

  it("opens a .sqlite catalog through the dialog plugin", async () => {
    const seen: unknown[] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return "/home/me/label.sqlite";
    });
    await expect(pickCatalogToOpen()).resolves.toBe("/home/me/label.sqlite");
    const [cmd, args] = seen[0] as [string, { options: { filters: { extensions: string[] }[]; multiple: boolean } }];
    expect(cmd).toBe("plugin:dialog|open");
    expect(args.options.multiple).toBe(false);
    expect(args.options.filters[0]?.extensions).toEqual(["sqlite"]);
  });

  it("returns null when a dialog is cancelled", async () => {
    mockIPC(() => null);
    await expect(pickCatalogToOpen()).resolves.toBeNull();
    await expect(pickNewCatalogPath()).resolves.toBeNull();
  });

  it("adds the .sqlite extension to new catalog and backup paths", async () => {
    mockIPC(() => "/home/me/new-label");
    await expect(pickNewCatalogPath()).resolves.toBe("/home/me/new-label.sqlite");
    mockIPC((_cmd, args) => {
      expect((args as { options: { defaultPath: string } }).options.defaultPath).toBe("cat-backup.sqlite");
      return "/backups/x.SQLITE";
    });
    await expect(pickBackupPath("cat-backup")).resolves.toBe("/backups/x.SQLITE");
  });
});
