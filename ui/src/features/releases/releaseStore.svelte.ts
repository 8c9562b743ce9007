// The release open in the editor: its detail (release, tracklist, assets) and its mutations.
import { api, isIpcFailure, type Contributor, type ReleaseDetail } from "../../lib/ipc/client";
import { reportError } from "../../lib/errors";
import { saveStatus } from "../../lib/saveStatus.svelte";
import { undoStack } from "../../lib/session";
import { fieldEdit } from "../../lib/undo";
import { toaster } from "../../components/ui/toaster.svelte";
import { concerns, onCatalogChanged } from "../catalog/changes";
import { releaseFieldValue, RELEASE_FIELD_LABELS, type ReleaseField } from "./releaseFields";

function fieldLabel(field: string): string {
  if (field.startsWith("title@")) return `title (${field.slice(6)})`;
  return field in RELEASE_FIELD_LABELS ? RELEASE_FIELD_LABELS[field as ReleaseField].toLowerCase() : field;
}

class ReleaseStore {
  id = $state<number | null>(null);
  detail = $state.raw<ReleaseDetail | null>(null);
  loading = $state(false);
  /** Set when the open release vanished (deleted elsewhere). */
  missing = $state(false);
  private token = 0;

  /** Shows release `id` (keeps the current detail when it is already that release). */
  async open(id: number): Promise<void> {
    if (this.id !== id) {
      this.id = id;
      this.detail = null;
      this.missing = false;
    }
    await this.reload();
  }

  close(): void {
    this.token++;
    this.id = null;
    this.detail = null;
    this.missing = false;
    this.loading = false;
  }

  async reload(): Promise<void> {
    const id = this.id;
    if (id === null) return;
    const token = ++this.token;
    this.loading = true;
    try {
      const detail = await api.getRelease(id);
      if (token !== this.token) return;
      this.detail = detail;
      this.missing = false;
    } catch (e) {
      if (token !== this.token) return;
      if (isIpcFailure(e, "NotFound")) {
        this.missing = true;
        this.detail = null;
        toaster.push({ tone: "warning", title: "Release no longer exists", message: e.message });
      } else {
        reportError(e, { context: "Loading release" });
      }
    } finally {
      if (token === this.token) this.loading = false;
    }
  }

  /**
   * Commits one field through setReleaseField. Throws IpcFailure (Invalid stays with the
   * caller's input). Records an undo entry unless `record` is false (undo/redo themselves).
   */
  async setField(id: number, field: string, value: string, record = true): Promise<void> {
    const current = this.detail?.release.id === id ? this.detail.release : null;
    const before = current ? releaseFieldValue(current, field) : null;
    const release = await saveStatus.track(api.setReleaseField(id, field, value));
    if (this.detail?.release.id === id) this.detail = { ...this.detail, release };
    const after = releaseFieldValue(release, field);
    if (record && before !== null && before !== after) {
      undoStack.push(
        fieldEdit({ entity: "release", id, field }, before, after, (v) => this.setField(id, field, v, false), {
          label: `Edit ${fieldLabel(field)}`,
          reveal: () => void this.revealRelease(id),
        }),
      );
    }
  }

  /** Applies a new display-artist list returned by add/removeContributor. */
  applyArtists(releaseId: number, artists: Contributor[]): void {
    if (this.detail?.release.id === releaseId) {
      this.detail = { ...this.detail, release: { ...this.detail.release, artists } };
    }
  }

  async setTrackPosition(
    releaseId: number,
    trackId: number,
    discNumber: number,
    trackNumber: number,
    record = true,
  ): Promise<void> {
    const before = this.detail?.release.id === releaseId ? this.detail.tracks.find((t) => t.id === trackId) : undefined;
    await saveStatus.track(api.setTrackPosition(releaseId, trackId, discNumber, trackNumber));
    if (this.id === releaseId) await this.reload();
    if (record && before && (before.discNumber !== discNumber || before.trackNumber !== trackNumber)) {
      const prev = { disc: before.discNumber, no: before.trackNumber };
      undoStack.push({
        label: "Move track",
        undo: () => this.setTrackPosition(releaseId, trackId, prev.disc, prev.no, false),
        redo: () => this.setTrackPosition(releaseId, trackId, discNumber, trackNumber, false),
        reveal: () => void this.revealRelease(releaseId),
      });
    }
  }

  private async revealRelease(id: number): Promise<void> {
    if (this.id !== id) await this.open(id);
  }

  /** Keeps the open release current when the catalog changes underneath. */
  listen(): () => void {
    return onCatalogChanged((change) => {
      const id = this.id;
      if (id === null) return;
      const d = this.detail;
      const relevant =
        concerns(change, "Release", id) ||
        (change.entity === "Track" && d?.tracks.some((t) => change.ids.includes(t.id))) ||
        (change.entity === "Artist" && d?.release.artists.some((a) => change.ids.includes(a.artistId))) ||
        (change.entity === "Label" && d !== null && change.ids.includes(d.release.labelId)) ||
        false;
      if (relevant) void this.reload();
    });
  }
}

export const releaseStore = new ReleaseStore();
