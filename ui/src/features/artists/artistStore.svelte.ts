// Artists shown in DSP-ID panels, cached by id and kept fresh on catalogChanged.
import { SvelteMap } from "svelte/reactivity";
import { api, type Artist, type DspPlatform } from "../../lib/ipc/client";
import { reportError } from "../../lib/errors";
import { saveStatus } from "../../lib/saveStatus.svelte";
import { undoStack } from "../../lib/session";
import { fieldEdit } from "../../lib/undo";
import { platformName } from "../../lib/format";
import { concerns, onCatalogChanged } from "../catalog/changes";

class ArtistStore {
  readonly byId = new SvelteMap<number, Artist>();
  private readonly loading = new Set<number>();

  get(id: number): Artist | undefined {
    return this.byId.get(id);
  }

  /** Loads an artist unless cached (or `force`). */
  async load(id: number, force = false): Promise<void> {
    if (!force && (this.byId.has(id) || this.loading.has(id))) return;
    this.loading.add(id);
    try {
      this.byId.set(id, await api.getArtist(id));
    } catch (e) {
      reportError(e, { context: "Loading artist", onStale: () => this.byId.delete(id) });
    } finally {
      this.loading.delete(id);
    }
  }

  dspValue(artistId: number, platform: DspPlatform): string {
    return this.byId.get(artistId)?.dspIds.find((d) => d.platform === platform)?.value ?? "";
  }

  /** Sets (or with "" removes) one DSP id. Throws IpcFailure (Invalid = bad format). */
  async setDspId(artistId: number, platform: DspPlatform, value: string, record = true): Promise<void> {
    const before = this.byId.has(artistId) ? this.dspValue(artistId, platform) : null;
    const artist = await saveStatus.track(api.setArtistDspId(artistId, platform, value));
    this.byId.set(artistId, artist);
    const after = this.dspValue(artistId, platform);
    if (record && before !== null && before !== after) {
      undoStack.push(
        fieldEdit(
          { entity: "artist", id: artistId, field: `dsp:${platform}` },
          before,
          after,
          (v) => this.setDspId(artistId, platform, v, false),
          { label: `Edit ${platformName(platform)} id of ${artist.name}` },
        ),
      );
    }
  }

  clear(): void {
    this.byId.clear();
  }

  listen(): () => void {
    return onCatalogChanged((change) => {
      if (change.entity === "Catalog") {
        this.byId.clear();
        return;
      }
      for (const id of [...this.byId.keys()]) if (concerns(change, "Artist", id)) void this.load(id, true);
    });
  }
}

export const artistStore = new ArtistStore();
