// Whether the main area shows the review queue instead of the release list, and which status.
import type { WorkflowStatus } from "../../lib/ipc/client";

class ReviewView {
  open = $state(false);
  /** null: every status. */
  status = $state<WorkflowStatus | null>("InReview");

  show(status: WorkflowStatus | null): void {
    this.status = status;
    this.open = true;
  }

  close(): void {
    this.open = false;
  }
}

export const reviewView = new ReviewView();
