// The track open in the track editor, and its field/writer mutations.
import { api, isIpcFailure, type Contributor, type NewWriter, type Track, type Writer } from "../../lib/ipc/client";
import { reportError } from "../../lib/errors";
import { saveStatus } from "../../lib/saveStatus.svelte";
import { undoStack } from "../../lib/session";
import { addRemovePair, fieldEdit, removeAddPair } from "../../lib/undo";
import { toaster } from "../../components/ui/toaster.svelte";
import { concerns, onCatalogChanged } from "../catalog/changes";
import { trackFieldValue, TRACK_FIELD_LABELS, type TrackField } from "./trackFields";

function fieldLabel(field: string): string {
  if (field.startsWith("title@")) return `track title (${field.slice(6)})`;
  return `track ${field in TRACK_FIELD_LABELS ? TRACK_FIELD_LABELS[field as TrackField].toLowerCase() : field}`;
}

class TrackStore {
  id = $state<number | null>(null);
  track = $state.raw<Track | null>(null);
  loading = $state(false);
  private token = 0;
  /** Set by navigation so undo can bring a track back on screen. */
  revealTrack: (trackId: number) => void = () => {};

  async open(id: number): Promise<void> {
    if (this.id !== id) {
      this.id = id;
      this.track = null;
    }
    await this.reload();
  }

  close(): void {
    this.token++;
    this.id = null;
    this.track = null;
    this.loading = false;
  }

  async reload(): Promise<void> {
    const id = this.id;
    if (id === null) return;
    const token = ++this.token;
    this.loading = true;
    try {
      const track = await api.getTrack(id);
      if (token !== this.token) return;
      this.track = track;
    } catch (e) {
      if (token !== this.token) return;
      if (isIpcFailure(e, "NotFound")) {
        toaster.push({ tone: "warning", title: "Track no longer exists", message: e.message });
        this.close();
      } else {
        reportError(e, { context: "Loading track" });
      }
    } finally {
      if (token === this.token) this.loading = false;
    }
  }

  async setField(id: number, field: string, value: string, record = true): Promise<void> {
    const current = this.track?.id === id ? this.track : null;
    const before = current ? trackFieldValue(current, field, true) : null;
    const track = await saveStatus.track(api.setTrackField(id, field, value));
    if (this.track?.id === id) this.track = track;
    const after = trackFieldValue(track, field, true);
    if (record && before !== null && before !== after) {
      undoStack.push(
        fieldEdit({ entity: "track", id, field }, before, after, (v) => this.setField(id, field, v, false), {
          label: `Edit ${fieldLabel(field)}`,
          reveal: () => this.revealTrack(id),
        }),
      );
    }
  }

  applyContributors(trackId: number, contributors: Contributor[]): void {
    if (this.track?.id === trackId) this.track = { ...this.track, contributors };
  }

  private applyWriters(trackId: number, writers: Writer[]): void {
    if (this.track?.id === trackId) this.track = { ...this.track, writers };
  }

  /** Adds a writer; resolves to the created writer's id. */
  async addWriter(trackId: number, writer: NewWriter, record = true): Promise<number> {
    const before = new Set((this.track?.id === trackId ? this.track.writers : []).map((w) => w.id));
    const writers = await saveStatus.track(api.addWriter(trackId, writer));
    this.applyWriters(trackId, writers);
    const created =
      writers.find((w) => !before.has(w.id) && w.name === writer.name) ??
      writers.find((w) => !before.has(w.id)) ??
      writers.at(-1);
    const createdId = created?.id ?? -1;
    if (record && createdId !== -1) {
      const entry = addRemovePair(
        `Add writer ${writer.name}`,
        createdId,
        () => this.addWriter(trackId, writer, false),
        (id) => this.removeWriter(trackId, id, false),
      );
      entry.reveal = () => this.revealTrack(trackId);
      undoStack.push(entry);
    }
    return createdId;
  }

  async removeWriter(trackId: number, writerId: number, record = true): Promise<void> {
    const existing = this.track?.id === trackId ? this.track.writers.find((w) => w.id === writerId) : undefined;
    const writers = await saveStatus.track(api.removeWriter(trackId, writerId));
    this.applyWriters(trackId, writers);
    if (record && existing) {
      const data: NewWriter = {
        name: existing.name,
        role: existing.role,
        publisher: existing.publisher,
        shareBasisPoints: existing.shareBasisPoints,
      };
      const entry = removeAddPair(
        `Remove writer ${existing.name}`,
        writerId,
        () => this.addWriter(trackId, data, false),
        (id) => this.removeWriter(trackId, id, false),
      );
      entry.reveal = () => this.revealTrack(trackId);
      undoStack.push(entry);
    }
  }

  listen(): () => void {
    return onCatalogChanged((change) => {
      const t = this.track;
      const id = this.id;
      if (id === null) return;
      const relevant =
        concerns(change, "Track", id) ||
        (change.entity === "Artist" && t?.contributors.some((c) => change.ids.includes(c.artistId)));
      if (relevant) void this.reload();
    });
  }
}

export const trackStore = new TrackStore();
