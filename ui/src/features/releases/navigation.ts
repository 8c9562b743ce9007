// Opening releases and tracks from anywhere (list, search, undo).
import { releaseStore } from "./releaseStore.svelte";
import { trackStore } from "../tracks/trackStore.svelte";
import { setCreditReveal } from "../artists/credits";

/** Opens a release in the editor, optionally with one of its tracks in the track editor. */
export async function openRelease(id: number, trackId: number | null = null): Promise<void> {
  if (trackId === null && releaseStore.id !== id) trackStore.close();
  const loading = releaseStore.open(id);
  if (trackId !== null) void trackStore.open(trackId);
  await loading;
}

export function openTrack(id: number): Promise<void> {
  return trackStore.open(id);
}

export function closeTrack(): void {
  trackStore.close();
}

export function closeRelease(): void {
  trackStore.close();
  releaseStore.close();
}

/** Brings a track back on screen; its release is found from the open tracklist when possible. */
function revealTrack(trackId: number): void {
  if (trackStore.id !== trackId) void trackStore.open(trackId);
}

trackStore.revealTrack = revealTrack;
setCreditReveal((target) => {
  if (target.kind === "Release") {
    if (releaseStore.id !== target.id) void openRelease(target.id);
  } else {
    revealTrack(target.id);
  }
});
