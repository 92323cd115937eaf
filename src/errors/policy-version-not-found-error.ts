/** 404: a policy version that was never activated (so cannot be shown or rolled back to). */
import { AppError } from "./app-error.js";

export class PolicyVersionNotFoundError extends AppError {
  readonly statusCode = 404;
  readonly code = "policy_version_not_found";

  constructor(readonly version: string) {
    super(
      `Policy version "${version}" is unknown; GET /v1/policies lists the versions that can be rolled back to`,
    );
  }
}
