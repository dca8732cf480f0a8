const ATTEMPTS = 3;

/**
 * Starts a server of a test's own on ports found free just before. Another process can take
 * one of them in between, and the server then fails at start; it is started again on fresh
 * ports, at most three times in all. A failure `isFinal` names is not tried again.
 */
export async function startOnFreshPorts<T>(what: string, start: () => Promise<T>, isFinal: (error: unknown) => boolean = () => false): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      if (attempt === ATTEMPTS || isFinal(error)) throw error;
      console.warn(`[test infra] ${what} did not start (attempt ${attempt} of ${ATTEMPTS}), trying fresh ports: ${(error as Error).message}`);
    }
  }
}
