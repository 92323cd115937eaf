/** A log, target or option the evaluation cannot work with at all (as opposed to one bad row). */
export class OpeInputError extends Error {
  override readonly name = "OpeInputError";
}
