"use strict";
// The platform part of the binary's and its package's names (`linux-x64-gnu`, `darwin-arm64`,
// `win32-x64-msvc`), as the packages in npm/ are named. Also used by scripts/pack.sh.

/** The platform name of this process. */
function platformName() {
  const { platform, arch } = process;
  if (platform === "linux") {
    let musl = false;
    try {
      /** @type {{ header?: { glibcVersionRuntime?: string } } | null} */
      const report =
        typeof process.report?.getReport === "function" ? /** @type {any} */ (process.report.getReport()) : null;
      musl = report ? !report.header?.glibcVersionRuntime : false;
    } catch {
      musl = false;
    }
    return `linux-${arch}-${musl ? "musl" : "gnu"}`;
  }
  if (platform === "win32") return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

module.exports = { platformName };
