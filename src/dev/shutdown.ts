/**
 * Closers registered as parts start, run newest first on Ctrl-C or on a failed start, so each
 * part stops while the parts it depends on are still up (API before worker before Temporal
 * before PostgreSQL).
 */
export class ShutdownStack {
  private readonly closers: { name: string; close: () => Promise<void> }[] = [];
  private closing?: Promise<void>;

  push(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  closeAll(log: (message: string) => void): Promise<void> {
    this.closing ??= (async () => {
      for (const { name, close } of this.closers.reverse()) {
        try {
          await close();
          log(`stopped ${name}`);
        } catch (error) {
          log(`could not stop ${name} cleanly: ${(error as Error).message}`);
        }
      }
    })();
    return this.closing;
  }
}
