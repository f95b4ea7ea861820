"use strict";
// The native binding, loaded through the generated loader (../native.js). When no binary loads,
// the error says what to do here, for npm, Bun and pnpm alike, instead of the loader's advice
// about npm's optional-dependency bug: which package to install for the platform detected, or
// that the system's C library is older than the binary needs.

const { LanceHashMapsError } = require("./errors.js");
const { platformName } = require("./platform-name.js");

/** Every message in an error's cause chain (the loader chains one error per path it tried). */
function messages(err) {
  const out = [];
  for (let e = err, depth = 0; e && depth < 20; e = e.cause, depth++) out.push(String(e.message ?? e));
  return out.join("\n");
}

function loadError(err) {
  const { version } = require("../package.json");
  const name = platformName();
  const pkg = `lance-hashmaps-${name}`;
  const text = messages(err);
  const glibc = /GLIBC_([0-9.]+)' not found/.exec(text);
  const message = glibc
    ? `lance-hashmaps: the binary for ${name} needs glibc ${glibc[1]}, newer than this system's ` +
      "C library (the published binaries need glibc 2.17 or newer: Amazon Linux 2, RHEL/CentOS 7, " +
      "Debian 8, Ubuntu 14.04 and later); on an older system, build from source (README, Install)"
    : `lance-hashmaps: no native binary could be loaded for this platform (${name}). Install the ` +
      `platform package next to lance-hashmaps: \`npm install ${pkg}@${version}\`, ` +
      `\`bun add ${pkg}@${version}\` or \`pnpm add ${pkg}@${version}\` (package managers may skip ` +
      "this optional dependency, e.g. with a lockfile made on another platform). Built from " +
      "source: `npm run pack` in the clone, then install both tarballs in pack/. Platforms with " +
      "a published binary: linux-x64-gnu, linux-arm64-gnu, darwin-x64, darwin-arm64, win32-x64-msvc";
  return new LanceHashMapsError("E_NO_BINARY", message, { cause: err });
}

/** @type {typeof import("../native.js")} */
let binding;
try {
  binding = require("../native.js");
} catch (err) {
  throw loadError(err);
}

module.exports = binding;
