/**
 * Stands in for `mime-db` inside the Lambda bundles (see ALIASES in lib/bundling.ts): a MIME
 * database with no entries.
 *
 * The Slack Web API client and axios load form-data, which loads mime-types, which loads the whole
 * 134 KB database, only to name the Content-Type of a file part in a multipart upload. cloudmend's
 * Slack calls (chat.postMessage, chat.update, chat.postEphemeral) carry no file, so they are sent
 * url-encoded and never reach it. Were a file ever uploaded, mime-types would answer `false` for
 * every extension, as it does for an unknown one, and form-data would send the part as
 * application/octet-stream. mime-types itself stays the real package.
 */
module.exports = {};
