// Helpers shared by the bench scripts. Nothing runs at import, so any script may use them.
import { join } from "node:path";

/** Removes `name` and the value after it from `args`, giving the value (undefined when absent). */
export function takeFlag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}

/** The middle value (the upper one of the two middles for an even count). */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs `cmd` to the end and parses the last line it printed as JSON; throws with its stderr if it failed. */
export function runJson<T>(cmd: string[], env: Record<string, string> = {}, timeoutMs?: number): T {
  const p = Bun.spawnSync(cmd, {
    stderr: "pipe",
    env: { ...process.env, RUST_LOG: "error", ...env },
    ...(timeoutMs ? { timeout: timeoutMs, killSignal: "SIGKILL" } : {}),
  });
  if (p.exitCode !== 0)
    throw new Error(`${cmd.join(" ")} failed (${p.exitCode ?? p.signalCode}): ${p.stderr.toString()}`);
  return JSON.parse(p.stdout.toString().trim().split("\n").pop()!) as T;
}

/**
 * runJson without blocking this process: for benches that serve the method's process themselves.
 * (The object-store bench reads its S3 server's access log from a pipe; blocked in spawnSync, it
 * stopped reading, the pipe filled, and the server stalled every client: the "hung" SDK runs.)
 */
export async function runJsonAsync<T>(cmd: string[], env: Record<string, string> = {}, timeoutMs?: number): Promise<T> {
  const p = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe", env: { ...process.env, RUST_LOG: "error", ...env } });
  const timer = timeoutMs ? setTimeout(() => p.kill("SIGKILL"), timeoutMs) : undefined;
  const [stdout, stderr, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ]);
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${cmd.join(" ")} failed (${code ?? p.signalCode}): ${stderr}`);
  return JSON.parse(stdout.trim().split("\n").pop()!) as T;
}

/** The command that runs one load path (bench/method.ts) in a process of its own. */
export const methodCmd = (method: string, tablePath: string, sdkLine: string): string[] => [
  process.execPath,
  join(import.meta.dir, "method.ts"),
  method,
  tablePath,
  sdkLine,
];
