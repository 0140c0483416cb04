// Where the widget keeps the visitor between page loads: localStorage, else
// sessionStorage (Safari private mode, blocked third-party storage), else
// memory for this page only. Keys are namespaced by account token.

type KV = {
  get(key: string): string | null;
  set(key: string, value: string): void;
  del(key: string): void;
};

const memory = new Map<string, string>();
const memoryStore: KV = {
  get: (k) => memory.get(k) ?? null,
  set: (k, v) => void memory.set(k, v),
  del: (k) => void memory.delete(k),
};

function usable(name: "localStorage" | "sessionStorage"): KV | null {
  try {
    const s = window[name];
    const probe = "__netia_probe__";
    s.setItem(probe, probe);
    s.removeItem(probe);
    return {
      get: (k) => s.getItem(k),
      set: (k, v) => {
        try {
          s.setItem(k, v);
        } catch {
          memory.set(k, v);
        }
      },
      del: (k) => s.removeItem(k),
    };
  } catch {
    return null;
  }
}

let backend: KV | undefined;
function store(): KV {
  backend ??=
    (typeof window !== "undefined" && (usable("localStorage") ?? usable("sessionStorage"))) ||
    memoryStore;
  return backend;
}

export type Storage = {
  get<T>(name: string): T | undefined;
  set(name: string, value: unknown): void;
  remove(name: string): void;
  /** Calls back when another tab changes `name` (localStorage only). */
  watch(name: string, listener: () => void): () => void;
};

/** Storage for this page only, never shared (previews). */
export function memoryStorage(): Storage {
  const map = new Map<string, unknown>();
  return {
    get: <T>(name: string) => map.get(name) as T | undefined,
    set: (name, value) => void map.set(name, value),
    remove: (name) => void map.delete(name),
    watch: () => () => {},
  };
}

export function storageFor(token: string): Storage {
  const key = (name: string) => `netia:${token}:${name}`;
  return {
    get<T>(name: string) {
      const raw = store().get(key(name));
      if (raw == null) return undefined;
      try {
        return JSON.parse(raw) as T;
      } catch {
        return undefined;
      }
    },
    set(name, value) {
      store().set(key(name), JSON.stringify(value));
    },
    remove(name) {
      store().del(key(name));
    },
    watch(name, listener) {
      const onStorage = (e: StorageEvent) => {
        if (e.key === key(name)) listener();
      };
      window.addEventListener("storage", onStorage);
      return () => window.removeEventListener("storage", onStorage);
    },
  };
}

/** A random id for an anonymous visitor (16–100 characters, as the server wants). */
export function randomId(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
