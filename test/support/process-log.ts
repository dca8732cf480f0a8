/**
 * The ports a child process bound itself (given port 0), as it logs them: the fields of the
 * first JSON log line in `output` whose message is `msg`, or undefined while there is none.
 */
export function loggedPorts(output: string, msg: string): Record<string, number> | undefined {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: unknown };
      if (entry.msg === msg) return entry as Record<string, number>;
    } catch {
      // a line still being written, or not JSON
    }
  }
  return undefined;
}
