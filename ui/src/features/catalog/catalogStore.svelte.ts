// Which catalog is open, its labels and counts, the label filter, and enum options.
import {
  api,
  pickBackupPath,
  pickCatalogToOpen,
  pickNewCatalogPath,
  type CatalogInfo,
  type FieldOptions,
  type Label,
} from "../../lib/ipc/client";
import { baseName } from "../../lib/format";
import { reportError } from "../../lib/errors";
import { drafts, undoStack } from "../../lib/session";
import { toaster } from "../../components/ui/toaster.svelte";
import { dispatchChange } from "./changes";

const FALLBACK_OPTIONS: FieldOptions = {
  releaseTypes: ["Album", "EP", "Single", "Compilation"],
  parentalAdvisories: ["NotExplicit", "Explicit", "ExplicitContentEdited"],
  contributorRoles: ["MainArtist", "FeaturedArtist", "Producer", "Remixer", "Composer", "Lyricist"],
  writerRoles: ["Composer", "Lyricist", "ComposerLyricist", "Arranger", "Translator"],
  dspPlatforms: ["spotify", "apple_music", "amazon", "deezer", "youtube", "tidal", "isni", "ipi"],
};

class CatalogStore {
  info = $state.raw<CatalogInfo | null>(null);
  labels = $state.raw<Label[]>([]);
  options = $state.raw<FieldOptions>(FALLBACK_OPTIONS);
  /** null = all labels. */
  labelId = $state<number | null>(null);
  /** Set when no catalog could be loaded at start. */
  loadError = $state<string | null>(null);
  busy = $state(false);
  /** Bumped whenever a different catalog is opened: views drop everything they cached. */
  epoch = $state(0);

  get name(): string {
    return this.info ? baseName(this.info.path) : "No catalog";
  }

  async load(): Promise<void> {
    try {
      const [info, labels, options] = await Promise.all([
        api.catalogInfo(),
        api.listLabels(),
        api.fieldOptions(),
      ]);
      this.info = info;
      this.labels = labels;
      this.options = options;
      this.loadError = null;
      drafts.setScope(info.path);
    } catch (e) {
      this.loadError = reportError(e, { context: "Loading catalog", onStale: () => {} }).message;
    }
  }

  /** Refetches counts and labels (after changes). */
  async refreshCounts(): Promise<void> {
    try {
      const [info, labels] = await Promise.all([api.catalogInfo(), api.listLabels()]);
      this.info = info;
      this.labels = labels;
      if (this.labelId !== null && !labels.some((l) => l.id === this.labelId)) this.labelId = null;
    } catch (e) {
      reportError(e, { onStale: () => {} });
    }
  }

  selectLabel(id: number | null): void {
    this.labelId = id;
  }

  labelName(id: number): string {
    return this.labels.find((l) => l.id === id)?.name ?? `Label #${id}`;
  }

  async open(): Promise<void> {
    await this.switchTo(pickCatalogToOpen, (path) => api.openCatalog(path), "Opened");
  }

  async create(): Promise<void> {
    await this.switchTo(pickNewCatalogPath, (path) => api.createCatalog(path), "Created");
  }

  async backup(): Promise<void> {
    if (!this.info) return;
    try {
      const stamp = new Date().toISOString().slice(0, 10);
      const dest = await pickBackupPath(`${this.name.replace(/\.sqlite$/i, "")}-backup-${stamp}`);
      if (!dest) return;
      this.busy = true;
      await api.backupCatalog(dest);
      toaster.push({ tone: "success", title: "Backup written", message: dest });
    } catch (e) {
      reportError(e, { context: "Backup", onStale: () => {} });
    } finally {
      this.busy = false;
    }
  }

  private async switchTo(
    pick: () => Promise<string | null>,
    run: (path: string) => Promise<CatalogInfo>,
    verb: string,
  ): Promise<void> {
    try {
      const path = await pick();
      if (!path) return;
      this.busy = true;
      const info = await run(path);
      this.info = info;
      drafts.setScope(info.path);
      undoStack.clear();
      this.labelId = null;
      this.epoch++;
      const [labels, options] = await Promise.all([api.listLabels(), api.fieldOptions()]);
      this.labels = labels;
      this.options = options;
      this.loadError = null;
      dispatchChange({ entity: "Catalog", ids: [] });
      toaster.push({ tone: "success", title: `${verb} ${baseName(info.path)}` });
    } catch (e) {
      reportError(e, { context: `${verb === "Opened" ? "Opening" : "Creating"} catalog`, onStale: () => {} });
    } finally {
      this.busy = false;
    }
  }
}

export const catalog = new CatalogStore();
