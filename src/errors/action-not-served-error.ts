/** 400: a reward for an action the decision did not serve; names the actions it did. */
import { AppError } from "./app-error.js";

export class ActionNotServedError extends AppError {
  readonly statusCode = 400;
  readonly code = "action_not_served";

  constructor(
    readonly decisionId: string,
    readonly actionId: string,
    readonly served: readonly string[],
  ) {
    super(
      `Action "${actionId}" was not served in decision "${decisionId}"; served: ${served.length > 0 ? served.join(", ") : "none"}`,
    );
  }

  override toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        details: { actionId: this.actionId, served: this.served },
      },
    };
  }
}
