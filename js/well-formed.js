"use strict";
// Strings with a lone surrogate (valid JS strings that are not valid Unicode) on their way into
// the addon. Node and Bun 1.2+ hand such a string over as UTF-8 with U+FFFD in its place, which the
// lookups recognise (src/binding/lookups.rs); Bun 1.1 drops a lone surrogate at the end instead
// ("id\uD800" arrives as "id"), so there a key with one must not reach a lookup.

const { hashText } = require("./native-binding.js");

/** A lone surrogate (a high one not followed by a low one, or a low one not after a high one). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

/** Whether `text` has no lone surrogate. */
const isWellFormed =
  typeof String.prototype.isWellFormed === "function"
    ? (/** @type {string} */ text) => text.isWellFormed()
    : (/** @type {string} */ text) => !LONE_SURROGATE.test(text);

/** `text` with each lone surrogate as U+FFFD, as JS's UTF-8 encoders (and Node's) write it. */
const wellFormed =
  typeof String.prototype.toWellFormed === "function"
    ? (/** @type {string} */ text) => text.toWellFormed()
    : (/** @type {string} */ text) => text.replace(LONE_SURROGATES, "\uFFFD");

/**
 * Whether a native lookup sees `key` as it is (else no stored id can equal it: it has a lone
 * surrogate this engine would drop). Only an engine that drops a trailing lone surrogate on its
 * way to the addon checks anything (asked once, of the addon: "a\uD800" then reads as "a").
 * @type {(key: string) => boolean}
 */
const lookupSees = hashText("a\uD800") === hashText("a") ? isWellFormed : () => true;

module.exports = { isWellFormed, wellFormed, lookupSees };
