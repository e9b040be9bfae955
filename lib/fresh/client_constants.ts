/**
 * Constants shared by the server renderer and the browser runtime.
 *
 * @module
 */

/** The id of the script tag that holds the islands' props (a JSON array). */
export const STATE_ID = "__FRSH_STATE";
