// A small listener-based async queue for subscriptions. Node's events.on()
// allocates two 2,048-slot queues per call, about 33 KB per idle connection;
// this keeps only what is actually pending.

export type Queue<T> = {
  push(value: T): void;
  /** Resolves with the next value, or undefined once closed. */
  next(): Promise<T | undefined>;
  close(): void;
  readonly closed: boolean;
};

export function createQueue<T>(signal?: AbortSignal): Queue<T> {
  const items: T[] = [];
  let waiting: ((value: T | undefined) => void) | null = null;
  let closed = false;
  const close = () => {
    closed = true;
    waiting?.(undefined);
    waiting = null;
  };
  signal?.addEventListener("abort", close, { once: true });
  return {
    push(value) {
      if (closed) return;
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve(value);
      } else {
        items.push(value);
      }
    },
    next() {
      if (items.length) return Promise.resolve(items.shift());
      if (closed) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    close() {
      signal?.removeEventListener("abort", close);
      close();
    },
    get closed() {
      return closed;
    },
  };
}
