/** 409: a reward after its decision's reward window closed; the default reward applies instead. */
import { AppError } from "./app-error.js";

export class RewardWindowClosedError extends AppError {
  readonly statusCode = 409;
  readonly code = "reward_window_closed";

  constructor(
    readonly decisionId: string,
    readonly actionId: string,
    readonly deadline: number,
  ) {
    super(
      `The reward window of decision "${decisionId}" closed at ${new Date(deadline).toISOString()}; ` +
        `the policy's default reward applies to action "${actionId}"`,
    );
  }

  override toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        details: { deadline: new Date(this.deadline).toISOString() },
      },
    };
  }
}
