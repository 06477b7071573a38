/** A pause a polling loop can cut short, so a producer's "look now" needs no tight polling. */
export interface WakeableSleep {
  /** Waits `ms`, or less if woken; returns at once if a wake is remembered (and forgets it). */
  sleep(ms: number): Promise<void>;
  /** Ends the sleep in progress; with nobody asleep, the next sleep instead. */
  wake(): void;
  /** Drops a remembered wake: call it when starting the work a wake asks for. */
  forget(): void;
}

/**
 * One sleeper at a time. A wake that finds nobody asleep is remembered until the next `sleep` or
 * `forget`, so a wake that arrives while the loop works is not lost and costs no extra round.
 */
export function wakeableSleep(): WakeableSleep {
  let remembered = false;
  let end: (() => void) | undefined;
  return {
    sleep(ms) {
      if (remembered) {
        remembered = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          end = undefined;
          resolve();
        }
        end = done;
      });
    },
    wake() {
      if (end) end();
      else remembered = true;
    },
    forget() {
      remembered = false;
    },
  };
}
