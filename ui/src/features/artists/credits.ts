// Contributor credits (release display artists and track credits), with undo by inverse op.
import { api, type Contributor, type ContributorRole, type CreditTarget } from "../../lib/ipc/client";
import { saveStatus } from "../../lib/saveStatus.svelte";
import { undoStack } from "../../lib/session";
import { addRemovePair, removeAddPair, type UndoEntry } from "../../lib/undo";
import { humanize } from "../../lib/format";
import { releaseStore } from "../releases/releaseStore.svelte";
import { trackStore } from "../tracks/trackStore.svelte";

function currentList(target: CreditTarget): Contributor[] {
  if (target.kind === "Release") {
    const d = releaseStore.detail;
    return d?.release.id === target.id ? d.release.artists : [];
  }
  const t = trackStore.track;
  return t?.id === target.id ? t.contributors : [];
}

function apply(target: CreditTarget, list: Contributor[]): void {
  if (target.kind === "Release") releaseStore.applyArtists(target.id, list);
  else trackStore.applyContributors(target.id, list);
}

let reveal: (target: CreditTarget) => void = () => {};
/** Navigation registers how to bring a release/track back on screen after undo. */
export function setCreditReveal(fn: (target: CreditTarget) => void): void {
  reveal = fn;
}

/** Adds a credit; resolves to the created contributor. */
export async function addCredit(
  target: CreditTarget,
  artistName: string,
  role: ContributorRole,
  record = true,
): Promise<Contributor | undefined> {
  const before = new Set(currentList(target).map((c) => c.id));
  const list = await saveStatus.track(api.addContributor(target, artistName, role));
  apply(target, list);
  const created =
    list.find((c) => !before.has(c.id) && c.role === role) ?? list.find((c) => !before.has(c.id)) ?? list.at(-1);
  if (record && created) {
    const entry = addRemovePair(
      `Add ${created.artistName} (${humanize(role)})`,
      created.id,
      async () => (await addCredit(target, artistName, role, false))?.id ?? -1,
      (id) => removeCredit(target, id, false),
    );
    entry.reveal = () => reveal(target);
    undoStack.push(entry);
  }
  return created;
}

export async function removeCredit(target: CreditTarget, contributorId: number, record = true): Promise<void> {
  const existing = currentList(target).find((c) => c.id === contributorId);
  const list = await saveStatus.track(api.removeContributor(target, contributorId));
  apply(target, list);
  if (record && existing) {
    const entry = removeAddPair(
      `Remove ${existing.artistName}`,
      contributorId,
      async () => (await addCredit(target, existing.artistName, existing.role, false))?.id ?? -1,
      (id) => removeCredit(target, id, false),
    );
    entry.reveal = () => reveal(target);
    undoStack.push(entry);
  }
}

/**
 * Changes a credit's role. There is no update command, so this is remove + add (the credit
 * moves to the end of the list); undo/redo repeat that with the other role.
 */
export async function changeCreditRole(target: CreditTarget, contributor: Contributor, role: ContributorRole): Promise<void> {
  if (contributor.role === role) return;
  let currentId = contributor.id;
  const swap = async (to: ContributorRole) => {
    await removeCredit(target, currentId, false);
    const created = await addCredit(target, contributor.artistName, to, false);
    if (created) currentId = created.id;
  };
  await swap(role);
  const entry: UndoEntry = {
    label: `Change role of ${contributor.artistName}`,
    undo: () => swap(contributor.role),
    redo: () => swap(role),
    reveal: () => reveal(target),
  };
  undoStack.push(entry);
}
