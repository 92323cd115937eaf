/** 404: a reward for a decision the log does not hold (never made, or kept past its window no more). */
import { AppError } from "./app-error.js";

export class DecisionNotFoundError extends AppError {
  readonly statusCode = 404;
  readonly code = "decision_not_found";

  constructor(readonly decisionId: string) {
    super(
      `Decision "${decisionId}" is unknown or expired: decisions are kept for their reward window plus a margin. ` +
        "A decision answered with fallback: true may not be stored yet (its write can finish after the answer): retry such a reward in a few seconds",
    );
  }
}
